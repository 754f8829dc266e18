// SecureMinutes: progressive enhancement only. Every form works without this file; it adds passkeys (which need
// the browser's WebAuthn API), a live Markdown preview, and live delivery progress. No inline script anywhere (CSP).
(function () {
  "use strict";

  function token() {
    var input = document.querySelector('input[name="__RequestVerificationToken"]');
    return input ? input.value : "";
  }

  function post(url, body) {
    return fetch(url, { method: "POST", credentials: "same-origin", headers: { "X-CSRF-TOKEN": token() }, body: body });
  }

  // Passkeys: forms marked data-passkey="get|create" stay hidden unless the browser can do WebAuthn with JSON options.
  function setUpPasskeys() {
    var canDo = window.PublicKeyCredential && PublicKeyCredential.parseRequestOptionsFromJSON && PublicKeyCredential.parseCreationOptionsFromJSON;
    document.querySelectorAll("form[data-passkey]").forEach(function (form) {
      if (!canDo) { return; }
      form.hidden = false;
      form.addEventListener("submit", function (event) {
        var field = form.querySelector('input[name="Credential"]');
        if (field.value) { return; }
        event.preventDefault();
        var error = form.querySelector("[data-passkey-error]");
        if (error) { error.hidden = true; }
        post(form.getAttribute("data-options"))
          .then(function (r) { if (!r.ok) { throw new Error("options " + r.status); } return r.json(); })
          .then(function (json) {
            return form.getAttribute("data-passkey") === "create"
              ? navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(json) })
              : navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(json) });
          })
          .then(function (credential) {
            field.value = JSON.stringify(credential);
            form.submit();
          })
          .catch(function () { if (error) { error.hidden = false; } });
      });
    });
  }

  // Live preview of Markdown minutes, rendered by the server with the same safe renderer as the mail.
  function setUpPreview() {
    var area = document.querySelector("textarea[data-preview]");
    if (!area) { return; }
    var target = document.getElementById(area.getAttribute("data-preview"));
    var format = document.querySelectorAll('input[name="Format"]');
    var timer = null;
    function render() {
      var data = new FormData();
      data.append("Text", area.value);
      var chosen = document.querySelector('input[name="Format"]:checked');
      data.append("Format", chosen ? chosen.value : "markdown");
      post(area.getAttribute("data-preview-url"), data)
        .then(function (r) { return r.ok ? r.text() : ""; })
        .then(function (html) { target.innerHTML = html; target.hidden = html === ""; });
    }
    function later() { clearTimeout(timer); timer = setTimeout(render, 400); }
    area.addEventListener("input", later);
    format.forEach(function (f) { f.addEventListener("change", later); });
    if (area.value) { render(); }
  }

  // Live delivery progress: polls the page's JSON handler and updates counts, the bar and each member's row.
  function setUpProgress() {
    var root = document.querySelector("[data-progress-url]");
    if (!root) { return; }
    var url = root.getAttribute("data-progress-url");
    if (!url) { return; } // a finished send: nothing more will change
    function tick() {
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (s) {
          if (!s) { return; }
          var bar = root.querySelector("progress");
          bar.max = s.total; bar.value = s.final;
          root.querySelector("[data-count=delivered]").textContent = s.delivered;
          root.querySelector("[data-count=final]").textContent = s.final;
          root.querySelector("[data-count=percent]").textContent = s.percent;
          root.querySelector("[data-count=problems]").textContent = s.problems;
          s.copies.forEach(function (c) {
            var row = document.getElementById("copy-" + c.id);
            if (!row) { return; }
            var state = row.querySelector("[data-state]");
            state.textContent = c.state;
            state.className = "state-" + c.code;
            row.querySelector("[data-detail]").textContent = c.detail || "";
          });
          var status = root.querySelector("[data-live]");
          if (status) { status.textContent = s.summary; }
          if (!s.finished) { setTimeout(tick, 1500); } else if (s.reload) { window.location.reload(); }
        })
        .catch(function () { setTimeout(tick, 5000); });
    }
    var fallback = root.querySelector("[data-no-js]");
    if (fallback) { fallback.hidden = true; }
    setTimeout(tick, 1000);
  }

  // A confirm button is disabled once pressed, so a second tap does not even reach the server (which ignores it anyway).
  function setUpSingleSubmit() {
    document.querySelectorAll("form[data-once]").forEach(function (form) {
      form.addEventListener("submit", function () {
        form.querySelectorAll("button[type=submit]").forEach(function (b) { setTimeout(function () { b.disabled = true; }, 0); });
      });
    });
  }

  // The browser's own time zone for "send at", so 22:00 means 22:00 where the note-taker is.
  function setUpTimeZone() {
    document.querySelectorAll("input[data-utc-offset]").forEach(function (input) {
      input.value = String(-new Date().getTimezoneOffset());
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpTimeZone();
    setUpPasskeys();
    setUpPreview();
    setUpProgress();
    setUpSingleSubmit();
  });
})();
