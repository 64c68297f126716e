// Guided interview: live suggestions of competences.
//
// - "Salva e continua" on a question whose answer goes to the recogniser is posted with
//   fetch; the suggestions panel of that answer appears under the form (supporting words
//   marked), with a "Prossima domanda" link. Other questions post and reload as usual.
// - A panel whose answer is still being analysed ("in_attesa") is polled until ready.
// - Accetta / Cambia livello / Rifiuta are posted with fetch and the panel is redrawn.
// Without JavaScript every step is a normal form post followed by a page reload.
(function () {
  "use strict";

  var FETCH_HEADERS = { "X-Requested-With": "fetch" };
  var POLL_MS = 2000;
  var POLL_MAX = 90;

  function post(url, body) {
    return fetch(url, {
      method: "POST", body: body, headers: FETCH_HEADERS, credentials: "same-origin"
    });
  }

  function formDataWith(form, button) {
    var data = new FormData(form);
    if (button && button.name) { data.set(button.name, button.value); }
    return data;
  }

  // Fallback: the normal post and reload, keeping which button was pressed.
  function submitWith(form, button) {
    if (button && button.name) {
      var hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = button.name;
      hidden.value = button.value;
      form.appendChild(hidden);
    }
    HTMLFormElement.prototype.submit.call(form);
  }

  function htmlToElement(html) {
    var holder = document.createElement("div");
    holder.innerHTML = html.trim();
    return holder.firstElementChild;
  }

  // --- polling -------------------------------------------------------------------------------

  function poll(panel, tries) {
    if (!panel || panel.getAttribute("data-status") !== "in_attesa") { return; }
    if (tries >= POLL_MAX) { return; }
    window.setTimeout(function () {
      fetch(panel.getAttribute("data-poll-url"), {
        headers: FETCH_HEADERS, credentials: "same-origin"
      }).then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      }).then(function (html) {
        var fresh = htmlToElement(html);
        if (!fresh) { return; }
        if (fresh.getAttribute("data-status") === "in_attesa") {
          poll(panel, tries + 1);
          return;
        }
        panel.replaceWith(fresh);
      }).catch(function () { poll(panel, tries + 1); });
    }, POLL_MS);
  }

  function pollAll(root) {
    root.querySelectorAll("[data-panel][data-status='in_attesa']").forEach(function (panel) {
      poll(panel, 0);
    });
  }

  // --- decisions on suggestions ------------------------------------------------------------

  var lastClicked = null;
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[type=submit]");
    if (button) { lastClicked = button; }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-decide]")) { return; }
    var panel = form.closest("[data-panel]");
    if (!panel) { return; }
    event.preventDefault();
    var button = event.submitter || lastClicked;
    var card = form.closest("[id^='suggerimento-']");
    var cardId = card ? card.id : null;
    form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
    post(form.action, formDataWith(form, button)).then(function (response) {
      return response.text().then(function (html) {
        if (!html) { throw new Error(String(response.status)); }
        return html;
      });
    }).then(function (html) {
      var fresh = htmlToElement(html);
      panel.replaceWith(fresh);
      var again = cardId ? document.getElementById(cardId) : null;
      var target = again ? again.querySelector(".suggestion-label") : fresh;
      if (target) {
        target.setAttribute("tabindex", "-1");
        target.focus();
      }
    }).catch(function () {
      form.querySelectorAll("button").forEach(function (b) { b.disabled = false; });
      submitWith(form, button);
    });
  });

  // --- saving an answer ----------------------------------------------------------------------

  function showErrors(box, errors) {
    box.innerHTML = "";
    var list = document.createElement("ul");
    errors.forEach(function (message) {
      var item = document.createElement("li");
      item.textContent = message;
      list.appendChild(item);
    });
    box.appendChild(list);
    box.hidden = false;
    box.setAttribute("tabindex", "-1");
    box.focus();
  }

  function nextLink(url) {
    var paragraph = document.createElement("p");
    paragraph.className = "actions next-question";
    var link = document.createElement("a");
    link.className = "button";
    link.href = url;
    link.textContent = "Prossima domanda";
    paragraph.appendChild(link);
    return paragraph;
  }

  var answerForm = document.getElementById("answer-form");
  if (answerForm && answerForm.getAttribute("data-extract") === "1") {
    var slot = document.getElementById("live-suggestions");
    var errorBox = document.querySelector(".fetch-errors");
    answerForm.addEventListener("submit", function (event) {
      var button = event.submitter || lastClicked;
      if (!button || button.value !== "salva" || !slot) { return; }
      event.preventDefault();
      button.disabled = true;
      slot.innerHTML = "<p role=\"status\">Salvataggio e ricerca delle competenze…</p>";
      post(answerForm.action, formDataWith(answerForm, button)).then(function (response) {
        return response.json();
      }).then(function (body) {
        button.disabled = false;
        if (!body.ok) {
          slot.innerHTML = "";
          // 409: someone saved this answer meanwhile. The form now carries the saved
          // version, so saving again replaces it knowingly (the message shows both).
          var version = answerForm.querySelector("input[name=version]");
          if (version && typeof body.version === "number") { version.value = body.version; }
          if (errorBox) { showErrors(errorBox, body.errors || []); }
          return;
        }
        if (errorBox) { errorBox.hidden = true; }
        if (!body.panel_html) {
          window.location.assign(body.next_url);
          return;
        }
        slot.innerHTML = body.panel_html;
        slot.appendChild(nextLink(body.next_url));
        var heading = slot.querySelector("h3");
        if (heading) {
          heading.setAttribute("tabindex", "-1");
          heading.focus();
        }
        pollAll(slot);
      }).catch(function () {
        button.disabled = false;
        submitWith(answerForm, button);
      });
    });
  }

  pollAll(document);
})();
