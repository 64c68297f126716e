// Person file: "Mostra dati identificativi" / "Mostra misura e vincoli" load the audited
// fragment in place instead of reloading the page. Without JavaScript the forms post normally.
(function () {
  "use strict";

  function reveal(form) {
    var region = document.getElementById(form.getAttribute("data-reveal"));
    if (!region) { return; }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = form.querySelector("button");
      if (button) { button.disabled = true; }
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { "X-Requested-With": "fetch" },
        credentials: "same-origin"
      }).then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      }).then(function (html) {
        region.innerHTML = html;
        region.setAttribute("tabindex", "-1");
        region.focus();
      }).catch(function () {
        form.submit();  // fall back to the normal post and page reload
      });
    });
  }

  document.querySelectorAll("form[data-reveal]").forEach(reveal);
})();
