/* Ponte — offer form: suggest competences from the text being typed and search them by name,
   without reloading the page. The buttons are plain submit buttons: without JavaScript the
   server does the same work and renders the page again with what was typed. */
(function () {
  "use strict";
  var form = document.getElementById("offer-form");
  if (!form) { return; }
  var suggestButton = document.getElementById("suggest-button");
  var findButton = document.getElementById("find-button");
  var suggestions = document.getElementById("suggestions");
  var found = document.getElementById("found-skills");
  var query = document.getElementById("skill-query");

  function chosenCodes() {
    var codes = {};
    form.querySelectorAll("#chosen-skills [data-code], #suggestions [data-code], #found-skills [data-code]")
      .forEach(function (row) { codes[row.dataset.code] = true; });
    return codes;
  }

  function radio(code, value, text, checked) {
    var label = document.createElement("label");
    var input = document.createElement("input");
    input.type = "radio";
    input.name = "skill__" + code;
    input.value = value;
    input.checked = checked;
    label.appendChild(input);
    label.appendChild(document.createTextNode(" " + text));
    return label;
  }

  function skillRow(concept) {
    var fieldset = document.createElement("fieldset");
    fieldset.className = "card skill-row suggestion";
    fieldset.dataset.code = concept.code;
    var legend = document.createElement("legend");
    var strong = document.createElement("strong");
    strong.textContent = concept.pref_label;
    var code = document.createElement("span");
    code.className = "muted";
    code.textContent = " " + concept.code;
    legend.appendChild(strong);
    legend.appendChild(code);
    fieldset.appendChild(legend);
    var actions = document.createElement("div");
    actions.className = "actions choice";
    actions.appendChild(radio(concept.code, "essenziale", "Essenziale", false));
    actions.appendChild(radio(concept.code, "facoltativa", "Facoltativa", false));
    actions.appendChild(radio(concept.code, "scarta", "Scarta", true));
    fieldset.appendChild(actions);
    return fieldset;
  }

  function message(container, text) {
    var p = document.createElement("p");
    p.className = "muted";
    p.textContent = text;
    container.appendChild(p);
  }

  if (suggestButton) {
    suggestButton.addEventListener("click", function (event) {
      event.preventDefault();
      var data = new FormData(form);
      data.delete("action");
      suggestions.setAttribute("aria-busy", "true");
      suggestButton.disabled = true;
      fetch(form.dataset.suggestUrl, { method: "POST", body: data, credentials: "same-origin",
                                       headers: { "X-Requested-With": "fetch" } })
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.text();
        })
        .then(function (html) {
          // Server-rendered fragment of our own templates (autoescaped).
          suggestions.innerHTML = html;
          var title = document.getElementById("suggestions-title");
          if (title) { title.setAttribute("tabindex", "-1"); title.focus(); }
        })
        .catch(function () { form.requestSubmit(suggestButton); })
        .finally(function () {
          suggestions.setAttribute("aria-busy", "false");
          suggestButton.disabled = false;
        });
    });
  }

  function search() {
    var text = query.value.trim();
    while (found.firstChild) { found.removeChild(found.firstChild); }
    if (text.length < 2) {
      message(found, "Scrivi almeno due lettere.");
      return;
    }
    var url = form.dataset.conceptsUrl + "?kind=competenza&page_size=10&q=" + encodeURIComponent(text);
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (data) {
        var taken = chosenCodes();
        var all = data.results || [];
        var results = all.filter(function (c) { return !taken[c.code]; });
        all.filter(function (c) { return taken[c.code]; }).forEach(function (c) {
          message(found, "«" + c.pref_label + "» è già tra le competenze scelte o suggerite.");
        });
        if (!all.length) {
          message(found, "Nessuna competenza trovata per «" + text + "».");
          return;
        }
        if (!results.length) { return; }
        message(found, results.length + " competenze trovate: scegli «Essenziale» o «Facoltativa» per aggiungerle, poi salva.");
        results.forEach(function (concept) { found.appendChild(skillRow(concept)); });
      })
      .catch(function () { form.requestSubmit(findButton); });
  }

  if (findButton && query) {
    findButton.addEventListener("click", function (event) {
      event.preventDefault();
      search();
    });
    query.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        search();
      }
    });
  }
})();
