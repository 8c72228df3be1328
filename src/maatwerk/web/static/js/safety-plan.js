'use strict';
// Registers the service worker that keeps this one page (the patient's safety plan)
// readable without a connection. Its scope is the safety-plan folder only.
(function () {
  const root = document.getElementById('safety-plan');
  if (!root || !('serviceWorker' in navigator)) return;
  navigator.serviceWorker
    .register(root.dataset.serviceWorker, {scope: root.dataset.scope})
    .catch(function () { /* without a service worker the page still works online */ });
})();
