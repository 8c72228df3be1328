"""Background work: the tasks the worker runs, the periodic tick and its scheduler.

Services enqueue tasks (Django Tasks API, ``django_tasks``) with ids after their
transaction commits; ``maatwerk worker`` runs them with the backend chosen by
``MAATWERK_TASK_BACKEND`` and enqueues :func:`maatwerk.web.background.periodic.tick`
every minute. :mod:`maatwerk.web.background.once` makes a task's effect happen once even
when the task runs twice.
"""
