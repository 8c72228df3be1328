'use strict';
// The patient's answering pages: registers the service worker (scope: these pages only),
// gives each answer an id of its own and sends it in the background. Without a
// connection the service worker keeps the answer and sends it later (see its source,
// /monitoring/me/sw.js); the id makes sure the server stores it once.
(function () {
  const root = document.getElementById('answering');
  if (!root) return;
  const status = document.getElementById('answer-status');
  const lang = document.documentElement.lang === 'en' ? 'en' : 'nl';
  const TEXT = {
    nl: {kept: 'Je antwoord is bewaard op deze telefoon. We sturen het zodra je weer internet hebt.',
         sent: 'Je antwoord is verstuurd. Dank je wel.',
         refused: 'Een bewaard antwoord kon niet meer worden opgeslagen: de tijd om te antwoorden was voorbij.',
         error: 'Dat lukte niet. Probeer het nog eens.'},
    en: {kept: 'Your answer is kept on this phone. We will send it as soon as you are online again.',
         sent: 'Your answer has been sent. Thank you.',
         refused: 'A kept answer could not be saved any more: the time to answer had passed.',
         error: 'That did not work. Please try again.'},
  }[lang];
  const say = (text) => { if (status) status.textContent = text; };

  if ('serviceWorker' in navigator) {
    navigator.serviceWorker
      .register(root.dataset.serviceWorker, {scope: root.dataset.scope})
      .then(() => navigator.serviceWorker.ready)
      .then((registration) => { if (registration.active) registration.active.postMessage('flush'); })
      .catch(function () { /* without a service worker the pages still work online */ });
    navigator.serviceWorker.addEventListener('message', (event) => {
      if (event.data && event.data.type === 'answer-sent') say(TEXT.sent);
      if (event.data && event.data.type === 'answer-refused') say(TEXT.refused);
    });
    window.addEventListener('online', () => {
      navigator.serviceWorker.ready.then((r) => r.active && r.active.postMessage('flush'));
    });
  }

  document.querySelectorAll('input[type=range]').forEach((slider) => {
    const output = slider.parentElement.querySelector('output');
    const show = () => { if (output) output.textContent = slider.value; };
    slider.addEventListener('input', show);
    show();
  });

  const form = document.getElementById('answer-form');
  if (!form || !window.fetch) return;
  const answerId = form.querySelector('input[name=answer_id]');
  if (answerId && !answerId.value && window.crypto && crypto.randomUUID) {
    answerId.value = crypto.randomUUID();
  }
  form.addEventListener('submit', async (event) => {
    if (!navigator.serviceWorker || !navigator.serviceWorker.controller) return;  // plain post
    event.preventDefault();
    const csrf = form.querySelector('input[name=csrfmiddlewaretoken]').value;
    try {
      const response = await fetch(form.action || location.href, {
        method: 'POST',
        credentials: 'same-origin',
        headers: {'Accept': 'application/json', 'X-CSRFToken': csrf,
                  'Content-Type': 'application/x-www-form-urlencoded'},
        body: new URLSearchParams(new FormData(form)).toString(),
      });
      const result = await response.json();
      if (response.status === 202 && result.kept) {
        form.hidden = true;
        say(TEXT.kept);
      } else if (response.ok && result.saved) {
        location.assign(root.dataset.done + '?saved=1');
      } else {
        form.submit();  // show the errors on the page, each at its question
      }
    } catch (error) {
      say(TEXT.error);
    }
  });
})();
