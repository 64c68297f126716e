/* Ponte — municipality autocomplete for the lavoro forms (company, offer, placement).
   Fills the <datalist> of inputs marked data-municipality with «Nome (PR)» values from
   /api/v1/municipalities/?q=. Without JavaScript the user types the name; the server
   resolves it the same way. */
(function () {
  "use strict";
  var MIN_CHARS = 2;
  var DELAY_MS = 200;

  function setup(input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list || !list.dataset.url) { return; }
    var timer = null;
    var lastQuery = "";
    var controller = null;

    function fill(items) {
      while (list.firstChild) { list.removeChild(list.firstChild); }
      items.forEach(function (item) {
        var option = document.createElement("option");
        option.value = item.name + " (" + item.province + ")";
        list.appendChild(option);
      });
    }

    function search() {
      var query = input.value.replace(/\s*\([A-Za-z]{0,2}\)?\s*$/, "").trim();
      if (query.length < MIN_CHARS || query === lastQuery) { return; }
      lastQuery = query;
      if (controller) { controller.abort(); }
      controller = new AbortController();
      var url = list.dataset.url + "?page_size=15&q=" + encodeURIComponent(query);
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin",
                   signal: controller.signal })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { fill(data.results || []); })
        .catch(function () { /* the typed name still works without suggestions */ });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(search, DELAY_MS);
    });
  }

  document.querySelectorAll("input[data-municipality]").forEach(setup);
})();
