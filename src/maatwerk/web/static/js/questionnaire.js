// Saves every answer the moment it is given. An answer that cannot be sent (no
// connection, session ended) waits in this browser and is sent again as soon as
// possible, so nothing is lost; the form's own submit button still works without this.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave-url]");
  if (!form) { return; }
  var url = form.getAttribute("data-autosave-url");
  var key = form.getAttribute("data-storage-key");
  var status = form.querySelector("[data-save-status]");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var texts = {
    nl: { saved: "Je antwoord is opgeslagen.", refused: "Dit antwoord kon niet worden opgeslagen.", loggedOut: "Je bent uitgelogd. Je antwoorden zijn bewaard op dit apparaat. Log opnieuw in en open de vragenlijst weer; dan worden ze verstuurd.", waiting: "Geen verbinding. Je antwoord is bewaard op dit apparaat en wordt verstuurd zodra er weer verbinding is." },
    en: { saved: "Your answer has been saved.", refused: "This answer could not be saved.", loggedOut: "You have been logged out. Your answers are kept on this device. Log in again and open the questionnaire; then they are sent.", waiting: "No connection. Your answer is kept on this device and will be sent as soon as there is a connection." }
  }[document.documentElement.lang === "en" ? "en" : "nl"];

  function pending() {
    try { return JSON.parse(window.localStorage.getItem(key) || "{}"); } catch (e) { return {}; }
  }
  function remember(all) {
    try { window.localStorage.setItem(key, JSON.stringify(all)); } catch (e) { /* private mode */ }
  }
  function say(text) { if (status) { status.textContent = text; } }
  // An answer that signals risk: show at once where to get help (the box is in the page,
  // hidden until needed, so it works offline too).
  function showHelp() {
    var box = document.getElementById("help-now");
    if (box && box.hidden) { box.hidden = false; box.focus(); }
  }

  // One answer at a time, in the order given: two requests for the same question could
  // otherwise arrive in the wrong order and leave the older answer on the server.
  var queue = Promise.resolve();
  function send(item, value) {
    var sent = queue.then(function () { return post(item, value); });
    queue = sent.catch(function () { /* a failed send does not stop the next one */ });
    return sent;
  }
  function post(item, value) {
    var body = new URLSearchParams();
    body.set("item", item);
    body.set("value", value);
    return fetch(url, {
      // A redirect means the session ended (to the login page): that is not "saved".
      method: "POST", body: body, credentials: "same-origin", redirect: "manual",
      headers: { "X-CSRFToken": token, "Accept": "application/json" }
    }).then(function (response) {
      if (response.ok || response.status === 400) {
        var all = pending();
        if (all[item] === value) {  // not a newer answer given meanwhile
          delete all[item];
          remember(all);
        }
        if (response.ok) {
          say(texts.saved);
          return response.json().then(function (data) {
            if (data.help_url) { showHelp(); }
            return true;
          }, function () { return true; });
        }
        // The server refused this answer: say why, in the user's language.
        return response.json().then(function (data) {
          say((data.errors || []).join(" ") || texts.refused);
          return false;
        }, function () { say(texts.refused); return false; });
      }
      if (response.status === 401 || response.type === "opaqueredirect") {
        say(texts.loggedOut);
      }
      throw new Error("not saved");
    });
  }
  function flush() {
    var all = pending();
    Object.keys(all).forEach(function (item) {
      send(item, all[item]).catch(function () {
        if (status && status.textContent !== texts.loggedOut) { say(texts.waiting); }
      });
    });
  }

  // Answers kept from an earlier visit are shown and sent again.
  var kept = pending();
  Object.keys(kept).forEach(function (item) {
    var input = form.querySelector('input[name="item-' + item + '"][value="' + kept[item] + '"]');
    if (input) { input.checked = true; }
  });
  flush();

  form.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.name || input.name.indexOf("item-") !== 0) { return; }
    var item = input.name.slice(5);
    var all = pending();
    all[item] = input.value;
    remember(all);
    send(item, input.value).catch(function () {
      if (status && status.textContent !== texts.loggedOut) { say(texts.waiting); }
    });
  });
  window.addEventListener("online", flush);
})();
