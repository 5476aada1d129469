// "Try it" on /api/v1/docs: each operation's form calls the API with the token typed at the top
// (sent as Authorization: Bearer, never stored, no cookies) and shows the answer. Without
// JavaScript the forms stay hidden and the page is the list of operations.
(function () {
  "use strict";
  var token = document.getElementById("api-try-token");
  if (!token) return;
  document.querySelectorAll("[data-api-try]").forEach(function (element) {
    element.hidden = false;
  });
  document.querySelectorAll("form.api-try").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var method = form.dataset.method;
      var path = form.dataset.path.replace(/\{([a-z_]+)\}/g, function (whole, name) {
        var field = form.elements["path_" + name];
        return encodeURIComponent(field ? field.value.trim() : "");
      });
      var query = form.elements.query ? form.elements.query.value.trim().replace(/^\?/, "") : "";
      if (query) path += "?" + query;
      var headers = { Accept: "application/json" };
      if (token.value.trim()) headers.Authorization = "Bearer " + token.value.trim();
      var init = { method: method, headers: headers, credentials: "omit" };
      if (method !== "GET") {
        headers["Content-Type"] = "application/json";
        init.body = form.elements.body ? form.elements.body.value || "{}" : "{}";
      }
      var output = form.querySelector("output");
      output.textContent = "…";
      fetch(path, init).then(function (response) {
        return response.text().then(function (text) {
          var shown = text;
          try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch (error) { /* as sent */ }
          output.textContent = method + " " + path + "\n" + response.status + " " +
            response.statusText + "\n\n" + shown;
        });
      }).catch(function (error) {
        output.textContent = String(error);
      });
    });
  });
})();
