// Exercise forms: every field is saved as the patient types. A save that cannot be
// sent (no connection, session ended) waits in this browser with the time it was given
// and is sent again as soon as possible; the server ignores a save older than the one it
// already has, so a late retry never overwrites newer text. Rows can be added and
// removed. Without this script the form still works: its buttons post to the server.
(function () {
  "use strict";
  // After handing in, the page has no form: what this device kept for it was sent with
  // the hand-in and is forgotten here.
  document.querySelectorAll("[data-clear-storage]").forEach(function (el) {
    try { window.localStorage.removeItem(el.getAttribute("data-clear-storage")); } catch (e) { /* private mode */ }
  });
  var form = document.querySelector("form[data-autosave-url]");
  if (!form) { return; }
  var url = form.getAttribute("data-autosave-url");
  var key = form.getAttribute("data-storage-key");
  var exercise = form.getAttribute("data-exercise");
  var status = form.querySelector("[data-save-status]");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var texts = {
    saved: form.getAttribute("data-text-saved"),
    saving: form.getAttribute("data-text-saving"),
    refused: form.getAttribute("data-text-refused"),
    waiting: form.getAttribute("data-text-waiting"),
    loggedOut: form.getAttribute("data-text-logged-out"),
    rowAdded: form.getAttribute("data-text-row-added"),
    rowRemoved: form.getAttribute("data-text-row-removed")
  };
  var lastStamp = 0;
  function stampNow() {  // strictly increasing, also when two changes share a millisecond
    lastStamp = Math.max(Date.now(), lastStamp + 1);
    return lastStamp;
  }
  function pending() {
    try { return JSON.parse(window.localStorage.getItem(key) || "{}"); } catch (e) { return {}; }
  }
  function remember(all) {
    try { window.localStorage.setItem(key, JSON.stringify(all)); } catch (e) { /* private mode */ }
  }
  function say(text) { if (status) { status.textContent = text; } }

  // ---- reading and writing the value of one top-level field
  function inputValue(inputs) {
    if (!inputs.length) { return null; }
    var first = inputs[0];
    if (first.type === "radio") {
      for (var i = 0; i < inputs.length; i++) { if (inputs[i].checked) { return inputs[i].value; } }
      return null;
    }
    if (first.type === "checkbox") {
      var chosen = [];
      for (var j = 0; j < inputs.length; j++) { if (inputs[j].checked) { chosen.push(inputs[j].value); } }
      return chosen;
    }
    return first.value === "" ? null : first.value;
  }
  function setInputValue(inputs, value) {
    for (var i = 0; i < inputs.length; i++) {
      var input = inputs[i];
      if (input.type === "radio") { input.checked = value !== null && input.value === String(value); }
      else if (input.type === "checkbox") { input.checked = Array.isArray(value) && value.indexOf(input.value) >= 0; }
      else { input.value = value === null || value === undefined ? "" : value; }
    }
  }
  function byName(root, name) { return root.querySelectorAll('[name="' + name + '"]'); }
  function container(fieldId) { return form.querySelector('[data-field="' + fieldId + '"]'); }
  function subIds(group) {
    var template = group.querySelector("template[data-row-template]");
    var source = template ? template.content : group.querySelector("[data-row]");
    var ids = [];
    if (!source) { return ids; }
    var prefix = "f-" + group.getAttribute("data-group") + "-";
    source.querySelectorAll("[name]").forEach(function (input) {
      var sub = input.name.slice(prefix.length).replace(/^[^-]+-/, "");
      if (ids.indexOf(sub) < 0) { ids.push(sub); }
    });
    return ids;
  }
  function rowsOf(group) { return group.querySelector("[data-rows]").querySelectorAll(":scope > [data-row]"); }
  function readField(fieldId) {
    var box = container(fieldId);
    if (!box) { return null; }
    if (!box.hasAttribute("data-group")) { return inputValue(byName(box, "f-" + fieldId)); }
    var repeat = !!box.querySelector("template[data-row-template]");
    var subs = subIds(box);
    var rows = [];
    rowsOf(box).forEach(function (row, index) {
      var entry = {};
      subs.forEach(function (sub) {
        var value = inputValue(byName(row, "f-" + fieldId + "-" + index + "-" + sub));
        if (value !== null && !(Array.isArray(value) && !value.length)) { entry[sub] = value; }
      });
      rows.push(entry);
    });
    if (repeat) { return rows; }
    return rows.length && Object.keys(rows[0]).length ? rows[0] : null;
  }
  function writeField(fieldId, value) {
    var box = container(fieldId);
    if (!box) { return; }
    if (!box.hasAttribute("data-group")) { setInputValue(byName(box, "f-" + fieldId), value); return; }
    var rows = Array.isArray(value) ? value : [value || {}];
    if (box.querySelector("template[data-row-template]")) {
      while (rowsOf(box).length < rows.length) { addRow(box, false); }
    }
    rowsOf(box).forEach(function (row, index) {
      var entry = rows[index] || {};
      subIds(box).forEach(function (sub) {
        setInputValue(byName(row, "f-" + fieldId + "-" + index + "-" + sub), entry[sub] === undefined ? null : entry[sub]);
      });
    });
  }

  // ---- rows
  function renumber(group) {
    var groupId = group.getAttribute("data-group");
    var pattern = new RegExp("(-" + groupId + "-)(\\d+|__row__)(-|$)");
    rowsOf(group).forEach(function (row, index) {
      row.querySelectorAll("[name],[id],[for],[aria-describedby]").forEach(function (el) {
        ["name", "id", "for"].forEach(function (attribute) {
          var value = el.getAttribute(attribute);
          if (value) { el.setAttribute(attribute, value.replace(pattern, "$1" + index + "$3")); }
        });
        var described = el.getAttribute("aria-describedby");
        if (described) {
          el.setAttribute("aria-describedby", described.split(" ").map(function (id) {
            return id.replace(pattern, "$1" + index + "$3");
          }).join(" "));
        }
      });
      var number = row.querySelector("[data-row-number]");
      if (number) { number.textContent = String(index + 1); }
      var remove = row.querySelector("[data-remove-row]");
      if (remove) { remove.value = "remove_row:" + groupId + ":" + index; }
    });
  }
  function addRow(group, focus) {
    var template = group.querySelector("template[data-row-template]");
    var row = template.content.firstElementChild.cloneNode(true);
    group.querySelector("[data-rows]").appendChild(row);
    renumber(group);
    if (focus) {
      var first = row.querySelector("input, textarea");
      if (first) { first.focus(); }
      say(texts.rowAdded);
    }
    return row;
  }

  // ---- showing the server's messages at their inputs
  function errorElementFor(path) {
    // "field" or "group[row].sub" -> the id of the error element of that input
    var match = /^([^\[]+)(?:\[(\d+)\])?(?:\.(.+))?$/.exec(path);
    if (!match) { return null; }
    var id = "ex-" + exercise + "-" + match[1];
    if (match[2] !== undefined && match[3] !== undefined) { id += "-" + match[2] + "-" + match[3]; }
    return document.getElementById(id + "-error");
  }
  function clearErrors(fieldId) {
    var box = container(fieldId);
    if (!box) { return; }
    box.querySelectorAll(".errorlist").forEach(function (el) { el.textContent = ""; el.hidden = true; });
    box.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
  }
  function showErrors(errors) {
    var general = [];
    Object.keys(errors || {}).forEach(function (path) {
      var el = errorElementFor(path);
      var text = (errors[path] || []).join(" ");
      if (el) {
        el.textContent = text;
        el.hidden = false;
        var input = el.parentNode.querySelector("input, textarea");
        if (input) { input.setAttribute("aria-invalid", "true"); }
      } else { general.push(text); }
    });
    say(general.length ? general.join(" ") : texts.refused);
  }

  // ---- sending, one save at a time in the order given
  var queue = Promise.resolve();
  function send(fieldId, entry) {
    var sent = queue.then(function () { return post(fieldId, entry); });
    queue = sent.catch(function () { /* a failed send does not stop the next one */ });
    return sent;
  }
  function post(fieldId, entry) {
    var body = new URLSearchParams();
    body.set("field", fieldId);
    body.set("value", JSON.stringify(entry.value));
    body.set("stamp", String(entry.stamp));
    return fetch(url, {
      // A redirect means the session ended (to the login page): that is not "saved".
      method: "POST", body: body, credentials: "same-origin", redirect: "manual",
      headers: { "X-CSRFToken": token, "Accept": "application/json" }
    }).then(function (response) {
      if (response.ok || response.status === 400) {
        return response.json().then(function (data) {
          var all = pending();
          if (response.ok && all[fieldId] && all[fieldId].stamp === entry.stamp) {
            delete all[fieldId];  // not a newer value given meanwhile
            remember(all);
          }
          if (response.ok) { clearErrors(fieldId); say(texts.saved); return true; }
          // Refused (e.g. letters in a number): kept on this device, shown at the field.
          showErrors(data.errors);
          return false;
        });
      }
      if (response.status === 401 || response.type === "opaqueredirect") { say(texts.loggedOut); }
      throw new Error("not saved");
    });
  }
  function saveField(fieldId) {
    var all = pending();
    all[fieldId] = { value: readField(fieldId), stamp: stampNow() };
    remember(all);
    say(texts.saving);
    send(fieldId, all[fieldId]).catch(function () {
      if (status && status.textContent !== texts.loggedOut) { say(texts.waiting); }
    });
  }
  function flush() {
    var all = pending();
    Object.keys(all).forEach(function (fieldId) {
      send(fieldId, all[fieldId]).catch(function () {
        if (status && status.textContent !== texts.loggedOut) { say(texts.waiting); }
      });
    });
  }

  // Values kept from an earlier visit are shown and sent again.
  var kept = pending();
  Object.keys(kept).forEach(function (fieldId) {
    lastStamp = Math.max(lastStamp, kept[fieldId].stamp || 0);
    writeField(fieldId, kept[fieldId].value);
  });
  flush();

  function fieldOf(element) {
    var box = element.closest("[data-field]");
    return box ? box.getAttribute("data-field") : null;
  }
  var timers = {};
  form.addEventListener("input", function (event) {
    var fieldId = fieldOf(event.target);
    if (!fieldId) { return; }
    // Typing: save after a short pause, so not every key press is a request.
    window.clearTimeout(timers[fieldId]);
    timers[fieldId] = window.setTimeout(function () { saveField(fieldId); }, 600);
  });
  form.addEventListener("change", function (event) {
    var fieldId = fieldOf(event.target);
    if (!fieldId) { return; }
    window.clearTimeout(timers[fieldId]);
    saveField(fieldId);
  });
  form.addEventListener("click", function (event) {
    var button = event.target.closest("[data-add-row], [data-remove-row]");
    if (!button) { return; }
    event.preventDefault();
    var group = button.closest("[data-group]");
    if (button.hasAttribute("data-add-row")) {
      addRow(group, true);
    } else {
      var row = button.closest("[data-row]");
      row.parentNode.removeChild(row);
      renumber(group);
      say(texts.rowRemoved);
      var focusTarget = group.querySelector("[data-add-row]") || group;
      focusTarget.focus();
    }
    saveField(group.getAttribute("data-group"));
  });
  window.addEventListener("online", flush);
})();
