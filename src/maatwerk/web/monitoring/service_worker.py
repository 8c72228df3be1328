"""The service worker of the patient's answering pages (``/monitoring/me/``).

- Pages in its scope are fetched from the network first; the last copy of each is kept
  so a question the patient opened can still be answered without a connection.
- An answer posted without a connection is kept in IndexedDB (store ``outbox``) and the
  page is told it was kept; the worker sends it again on the next ``sync`` event, on a
  message from a page and whenever a page in scope loads. Each answer carries the
  ``answer_id`` the page gave it, so the server stores it once however often it arrives.
  An answer the server refuses (400: expired, answered already) is removed from the
  outbox and reported to open pages; only a network error or a 5xx keeps it.
- A Web Push message (it only says that a question waits) is shown as a notification;
  tapping it opens that question (or the list) in the app.
- Logging out clears the cache (Clear-Site-Data); the outbox holds only answers not yet
  sent.
"""

SERVICE_WORKER = """'use strict';
const CACHE = 'maatwerk-answers-v1';
const SCOPE = new URL('./', self.location).pathname;
const STATIC = %(static)s;
const DB = 'maatwerk-answers';
const STORE = 'outbox';

function db() {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(DB, 1);
    open.onupgradeneeded = () => open.result.createObjectStore(STORE, {keyPath: 'answerId'});
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
}

async function withStore(mode, work) {
  const database = await db();
  return new Promise((resolve, reject) => {
    const tx = database.transaction(STORE, mode);
    const result = work(tx.objectStore(STORE));
    tx.oncomplete = () => resolve(result && 'result' in result ? result.result : undefined);
    tx.onerror = () => reject(tx.error);
  });
}

const keep = (entry) => withStore('readwrite', (store) => store.put(entry));
const drop = (answerId) => withStore('readwrite', (store) => store.delete(answerId));
const pending = () => withStore('readonly', (store) => store.getAll());

async function tell(message) {
  for (const client of await self.clients.matchAll({includeUncontrolled: true})) {
    client.postMessage(message);
  }
}

async function send(entry) {
  const response = await fetch(entry.url, {
    method: 'POST',
    credentials: 'same-origin',
    headers: {
      'Accept': 'application/json',
      'Content-Type': 'application/x-www-form-urlencoded',
      'X-CSRFToken': entry.csrf,
    },
    body: entry.body,
  });
  if (response.status >= 500) throw new Error('server ' + response.status);
  return response;
}

let flushing = null;
async function flush() {
  if (flushing) return flushing;
  flushing = (async () => {
    for (const entry of await pending()) {
      let response;
      try {
        response = await send(entry);
      } catch (error) {
        return;  // still offline: keep everything for the next try
      }
      await drop(entry.answerId);
      await tell({type: response.ok ? 'answer-sent' : 'answer-refused', answerId: entry.answerId});
    }
  })().finally(() => { flushing = null; });
  return flushing;
}

async function page(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok && !response.redirected && response.type === 'basic') {
      await cache.put(request.url, response.clone());
    }
    flush();
    return response;
  } catch (error) {
    return (await cache.match(request.url)) || Response.error();
  }
}

async function answer(request) {
  const body = await request.clone().text();
  try {
    const response = await fetch(request);
    if (response.status < 500) return response;
  } catch (error) { /* offline: keep the answer below */ }
  const answerId = new URLSearchParams(body).get('answer_id');
  if (!answerId) return Response.error();
  await keep({answerId, url: request.url, body, csrf: request.headers.get('X-CSRFToken') || '',
              keptAt: new Date().toISOString()});
  if (self.registration.sync) self.registration.sync.register('answers').catch(() => undefined);
  return new Response(JSON.stringify({saved: false, kept: true}),
                      {status: 202, headers: {'Content-Type': 'application/json'}});
}

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
self.addEventListener('sync', (event) => {
  if (event.tag === 'answers') event.waitUntil(flush());
});
self.addEventListener('message', (event) => {
  if (event.data === 'flush') event.waitUntil(flush());
});

self.addEventListener('push', (event) => {
  let message = {};
  try { message = event.data ? event.data.json() : {}; } catch (error) { message = {}; }
  const prompt = typeof message.prompt === 'string' && /^[0-9a-f-]{36}$/.test(message.prompt)
    ? message.prompt : '';
  event.waitUntil(self.registration.showNotification(message.title || 'Maatwerk', {
    body: message.body || '',
    tag: prompt || 'maatwerk',
    data: {url: prompt ? SCOPE + prompt + '/' : SCOPE},
  }));
});
self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = (event.notification.data && event.notification.data.url) || SCOPE;
  event.waitUntil(self.clients.openWindow(url));
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === 'POST' && url.pathname.startsWith(SCOPE)
      && url.pathname !== SCOPE + 'entry/' && !url.pathname.startsWith(SCOPE + 'notifications/')) {
    event.respondWith(answer(request));
    return;
  }
  if (request.method !== 'GET') return;
  if (request.mode === 'navigate' && url.pathname.startsWith(SCOPE)) {
    event.respondWith(page(request));
    return;
  }
  if (url.pathname.startsWith(STATIC)) {
    event.respondWith((async () => {
      try {
        const response = await fetch(request);
        if (response.ok) (await caches.open(CACHE)).put(request, response.clone());
        return response;
      } catch (error) {
        return (await caches.match(request)) || Response.error();
      }
    })());
  }
});
"""
