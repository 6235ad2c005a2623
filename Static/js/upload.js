// The batch upload: drag and drop, a progress bar, and the server's result table.
(function () {
  const form = document.getElementById("upload");
  const drop = document.getElementById("drop");
  const input = form.querySelector("input[type=file]");
  const progress = document.getElementById("progress");
  const status = document.getElementById("status");
  const results = document.getElementById("results");

  ["dragenter", "dragover"].forEach((name) => drop.addEventListener(name, (event) => {
    event.preventDefault();
    drop.classList.add("over");
  }));
  ["dragleave", "drop"].forEach((name) => drop.addEventListener(name, () => drop.classList.remove("over")));
  drop.addEventListener("drop", (event) => {
    event.preventDefault();
    input.files = event.dataTransfer.files;
    status.textContent = form.dataset.chosen.replace("{count}", input.files.length);
  });
  input.addEventListener("change", () => { status.textContent = form.dataset.chosen.replace("{count}", input.files.length); });

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.setRequestHeader("X-CSRF-Token", form.dataset.csrf);
    request.setRequestHeader("Accept", "text/html");
    progress.hidden = false;
    progress.value = 0;
    status.textContent = form.dataset.uploading;
    request.upload.addEventListener("progress", (e) => {
      if (e.lengthComputable) progress.value = Math.round((e.loaded / e.total) * 100);
      if (e.loaded === e.total) status.textContent = form.dataset.reading;
    });
    request.addEventListener("load", () => {
      progress.hidden = true;
      if (request.status === 200) {
        status.textContent = form.dataset.done;
        // The server renders and escapes the table.
        results.innerHTML = request.responseText;
        form.reset();
      } else {
        const page = new DOMParser().parseFromString(request.responseText, "text/html");
        const message = page.querySelector(".error-page p");
        status.textContent = form.dataset.failed + " " + (message ? message.textContent : request.status);
      }
    });
    request.addEventListener("error", () => {
      progress.hidden = true;
      status.textContent = form.dataset.broken;
    });
    request.send(new FormData(form));
  });
})();
