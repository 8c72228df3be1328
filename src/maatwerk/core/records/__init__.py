"""The patient's rights over their record (F26): a complete copy and destruction on request.

Plain values and rules, no Django: the deadline for a destruction decision, who may
decide, the grounds for refusing (BW 7:455 lid 2), and the FHIR Bundle of a copy. The
sources of every rule are in ``content/bibliography.json`` (keys ``bw-7-455-text``,
``wgbo-destruction-exceptions``, ``wgbo-retention-20y``, ``gdpr-art-15-copy``,
``gdpr-art-17-3``, ``gdpr-art-20-portability``, ``wabvpz-15d-15e``,
``nen7513-log-retention``); docs/privacy.md explains them.
"""
