// Read patient texts aloud with the browser's own speech synthesis (issue 12, low
// literacy). Progressive enhancement: the server sends no button; this script adds a
// "read aloud" button to every element marked data-read-aloud, only when the browser
// can speak. Without JavaScript or speech synthesis the page is simply the text.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !("speechSynthesis" in window) || !("SpeechSynthesisUtterance" in window)) {
    return;
  }
  var labelRead = script.getAttribute("data-label") || "Read aloud";
  var labelStop = script.getAttribute("data-stop") || "Stop";
  var pageLanguage = (document.documentElement.lang || "nl").toLowerCase();
  var speechLanguage = pageLanguage.indexOf("en") === 0 ? "en-GB" : "nl-NL";
  var speaking = null;

  function voiceFor(language) {
    var prefix = language.slice(0, 2);
    var voices = window.speechSynthesis.getVoices();
    for (var i = 0; i < voices.length; i++) {
      if (voices[i].lang === language) { return voices[i]; }
    }
    for (var j = 0; j < voices.length; j++) {
      if (voices[j].lang && voices[j].lang.toLowerCase().indexOf(prefix) === 0) { return voices[j]; }
    }
    return null;
  }

  function textOf(element) {
    var copy = element.cloneNode(true);
    copy.querySelectorAll("button, form, svg, script, style, [data-read-aloud-skip]").forEach(
      function (node) { node.remove(); }
    );
    return (copy.textContent || "").replace(/\s+/g, " ").trim();
  }

  function reset() {
    if (speaking) { speaking.textContent = labelRead; speaking.setAttribute("aria-pressed", "false"); }
    speaking = null;
  }

  document.querySelectorAll("[data-read-aloud]").forEach(function (element) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "secondary read-aloud";
    button.textContent = labelRead;
    button.setAttribute("aria-pressed", "false");
    button.addEventListener("click", function () {
      var wasMe = speaking === button;
      window.speechSynthesis.cancel();
      reset();
      if (wasMe) { return; }
      var utterance = new window.SpeechSynthesisUtterance(textOf(element));
      utterance.lang = speechLanguage;
      var voice = voiceFor(speechLanguage);
      if (voice) { utterance.voice = voice; }
      utterance.onend = reset;
      utterance.onerror = reset;
      speaking = button;
      button.textContent = labelStop;
      button.setAttribute("aria-pressed", "true");
      window.speechSynthesis.speak(utterance);
    });
    // After the heading when the element starts with one, so the title comes first.
    var first = element.firstElementChild;
    if (first && /^H[1-6]$/.test(first.tagName)) {
      element.insertBefore(button, first.nextSibling);
    } else {
      element.insertBefore(button, element.firstChild);
    }
  });
})();
