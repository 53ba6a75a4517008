// The conversation page: new messages arrive without reloading. The page listens
// to the API's server-sent events for this conversation and, on each, fetches the
// messages again (the server renders them); the send form posts to the API.
(function () {
  "use strict";
  var root = document.getElementById("chat");
  if (!root || root.dataset.live === "on") return;
  root.dataset.live = "on";
  var id = root.dataset.id;
  var csrf = root.dataset.csrf;
  var box = document.getElementById("messages");
  var form = document.getElementById("send-form");
  var input = document.getElementById("send-body");
  var status = document.getElementById("send-status");
  function markRead() {
    fetch("/api/social/conversations/" + id + "/read", {
      method: "POST", credentials: "same-origin", headers: { "x-csrf-token": csrf }
    });
  }
  function reload(read) {
    fetch("/social/chats/" + id + "/messages", { credentials: "same-origin" })
      .then(function (r) { return r.text(); })
      .then(function (h) {
        box.innerHTML = h;
        box.scrollTop = box.scrollHeight;
        if (read) markRead();
      });
  }
  var es = new EventSource("/api/social/conversations/" + id + "/stream");
  es.addEventListener("message", function () { reload(true); });
  es.addEventListener("edited", function () { reload(false); });
  es.addEventListener("deleted", function () { reload(false); });
  es.addEventListener("read", function () { reload(false); });
  es.addEventListener("open", function () { root.dataset.stream = "open"; });
  if (form) {
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var body = input.value;
      if (!body.trim()) return;
      fetch("/api/social/conversations/" + id + "/messages", {
        method: "POST", credentials: "same-origin",
        headers: { "content-type": "application/json", "x-csrf-token": csrf },
        body: JSON.stringify({ body: body })
      }).then(function (r) {
        return r.json().then(function (j) {
          if (r.ok) { input.value = ""; status.textContent = ""; }
          else { status.textContent = (j.error && j.error.message) || r.statusText; }
        });
      });
    });
  }
  markRead();
})();
