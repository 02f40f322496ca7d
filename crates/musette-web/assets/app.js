// musette: small enhancements; every page works without them.
"use strict";
// A page brought back from the browser's cache (Back after Lock) is asked for again, so the
// server decides what it shows.
window.addEventListener("pageshow", (e) => { if (e.persisted) window.location.reload(); });
document.addEventListener("DOMContentLoaded", () => {
  for (const b of document.querySelectorAll("[data-print]")) {
    b.addEventListener("click", () => window.print());
  }
  // Large files sent with a form (an import, a file to verify): the same request, with a
  // progress bar while it goes; the page the server answers replaces this one.
  for (const form of document.querySelectorAll("form[data-progress]")) {
    form.addEventListener("submit", (e) => {
      const file = form.querySelector("input[type=file]");
      if (!file || file.files.length === 0 || !window.FormData) return;
      e.preventDefault();
      let bar = form.querySelector("progress");
      if (!bar) {
        bar = document.createElement("progress");
        bar.max = 100;
        form.appendChild(bar);
      }
      bar.hidden = false;
      bar.value = 0;
      const xhr = new XMLHttpRequest();
      xhr.open(form.method, form.action);
      xhr.upload.addEventListener("progress", (ev) => {
        if (ev.lengthComputable) bar.value = Math.round((ev.loaded / ev.total) * 100);
      });
      xhr.addEventListener("load", () => {
        document.open();
        document.write(xhr.responseText);
        document.close();
      });
      xhr.addEventListener("error", () => { form.submit(); });
      xhr.send(new FormData(form));
    });
  }
  // Attachments: dropped on the form or chosen, sent in one streamed request with progress.
  for (const form of document.querySelectorAll("form[data-upload]")) {
    const input = form.querySelector("input[type=file]");
    const bar = form.querySelector("progress");
    const status = form.querySelector(".status");
    const send = (file) => {
      const xhr = new XMLHttpRequest();
      xhr.open("PUT", form.dataset.upload + encodeURIComponent(file.name));
      xhr.setRequestHeader("X-CSRF-Token", form.dataset.csrf);
      xhr.setRequestHeader("Content-Type", "application/octet-stream");
      bar.hidden = false;
      bar.value = 0;
      xhr.upload.addEventListener("progress", (e) => {
        if (e.lengthComputable) bar.value = Math.round((e.loaded / e.total) * 100);
      });
      xhr.addEventListener("load", () => {
        if (xhr.status >= 200 && xhr.status < 300) {
          window.location.reload();
        } else {
          let message = xhr.statusText;
          try { message = JSON.parse(xhr.responseText).message; } catch (_) { /* not JSON */ }
          status.textContent = message;
          bar.hidden = true;
        }
      });
      xhr.addEventListener("error", () => { status.textContent = form.dataset.networkError; bar.hidden = true; });
      xhr.send(file);
    };
    form.addEventListener("submit", (e) => {
      if (input.files.length === 0) return;
      e.preventDefault();
      send(input.files[0]);
    });
    form.addEventListener("dragover", (e) => { e.preventDefault(); form.classList.add("dragging"); });
    form.addEventListener("dragleave", () => form.classList.remove("dragging"));
    form.addEventListener("drop", (e) => {
      e.preventDefault();
      form.classList.remove("dragging");
      if (e.dataTransfer.files.length > 0) send(e.dataTransfer.files[0]);
    });
  }
  // A form whose request takes a while (a sync): its button says so, once.
  for (const form of document.querySelectorAll("form.busy-form")) {
    form.addEventListener("submit", () => {
      const b = form.querySelector("button[data-busy]");
      if (b) { b.textContent = b.dataset.busy; b.disabled = true; }
    });
  }
  // A device invitation waiting: the page comes back by itself when the device joins.
  const invitation = document.querySelector("#invitation[data-state=waiting]");
  if (invitation && window.fetch) {
    for (const el of document.querySelectorAll(".no-js-only")) el.hidden = true;
    let last = invitation.dataset.poll;
    const poll = () => {
      fetch("/devices/invite/status", { credentials: "same-origin", cache: "no-store" })
        .then((r) => (r.ok ? r.json() : null))
        .then((s) => {
          if (s && s.state !== last) { last = s.state; window.location.reload(); return; }
          setTimeout(poll, 2000);
        })
        .catch(() => setTimeout(poll, 5000));
    };
    setTimeout(poll, 2000);
  }
});
