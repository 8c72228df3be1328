'use strict';
// The patient's choice of messages: "Allow notifications on this phone" asks the browser
// for permission, subscribes the installed app with the server's VAPID key and registers
// the subscription, which makes the phone choice selectable; a browser that cannot is
// told so. Choosing "no messages" also ends this phone's subscription.
(function () {
  const button = document.getElementById('push-allow');
  const form = document.getElementById('notification-form');
  const status = document.getElementById('notification-status');
  const lang = document.documentElement.lang === 'en' ? 'en' : 'nl';
  const TEXT = {
    nl: {on: 'Meldingen staan aan op deze telefoon. Kies nu "Een melding op mijn telefoon" en bewaar je keuze.',
         denied: 'Je telefoon staat meldingen niet toe. Je kunt dit veranderen in de instellingen van je telefoon.',
         error: 'Dat lukte niet. Probeer het nog eens.'},
    en: {on: 'Notifications are on for this phone. Now choose "A notification on my phone" and save your choice.',
         denied: 'Your phone does not allow notifications. You can change this in the settings of your phone.',
         error: 'That did not work. Please try again.'},
  }[lang];
  const say = (text) => { if (status) status.textContent = text; };
  const supported = 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;

  function keyBytes(base64url) {
    const padded = (base64url + '='.repeat((4 - base64url.length % 4) % 4))
      .replace(/-/g, '+').replace(/_/g, '/');
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  }

  const unsupported = document.getElementById('push-unsupported');
  if (button && !supported && unsupported) unsupported.hidden = false;

  if (button && supported && button.dataset.key) {
    button.hidden = false;
    button.addEventListener('click', async () => {
      try {
        if (await Notification.requestPermission() !== 'granted') { say(TEXT.denied); return; }
        const registration = await navigator.serviceWorker.ready;
        const subscription = (await registration.pushManager.getSubscription())
          || await registration.pushManager.subscribe({
            userVisibleOnly: true, applicationServerKey: keyBytes(button.dataset.key)});
        const csrf = form.querySelector('input[name=csrfmiddlewaretoken]').value;
        const response = await fetch(button.dataset.deviceUrl, {
          method: 'POST', credentials: 'same-origin',
          headers: {'Content-Type': 'application/json', 'Accept': 'application/json', 'X-CSRFToken': csrf},
          body: JSON.stringify(subscription.toJSON()),
        });
        if (!response.ok) throw new Error('refused');
        const push = form.querySelector('input[name=choice][value=push]');
        if (push) { push.disabled = false; push.checked = true; }
        say(TEXT.on);
      } catch (error) {
        say(TEXT.error);
      }
    });
  }

  if (form && supported) {
    form.addEventListener('submit', () => {
      const none = form.querySelector('input[name=choice][value=none]');
      if (!none || !none.checked) return;
      navigator.serviceWorker.ready
        .then((registration) => registration.pushManager.getSubscription())
        .then((subscription) => subscription && subscription.unsubscribe())
        .catch(() => undefined);
    });
  }
})();
