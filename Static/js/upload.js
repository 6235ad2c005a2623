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
    status.textContent = input.files.length + " file(s) chosen";
  });
  input.addEventListener("change", () => { status.textContent = input.files.length + " file(s) chosen"; });

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.setRequestHeader("X-CSRF-Token", form.dataset.csrf);
    request.setRequestHeader("Accept", "text/html");
    progress.hidden = false;
    progress.value = 0;
    status.textContent = "Uploading…";
    request.upload.addEventListener("progress", (e) => {
      if (e.lengthComputable) progress.value = Math.round((e.loaded / e.total) * 100);
      if (e.loaded === e.total) status.textContent = "Reading the codes…";
    });
    request.addEventListener("load", () => {
      progress.hidden = true;
      if (request.status === 200) {
        status.textContent = "Done.";
        // The server renders and escapes the table.
        results.innerHTML = request.responseText;
        form.reset();
      } else {
        const page = new DOMParser().parseFromString(request.responseText, "text/html");
        const message = page.querySelector(".error-page p");
        status.textContent = "Upload failed: " + (message ? message.textContent : request.status);
      }
    });
    request.addEventListener("error", () => {
      progress.hidden = true;
      status.textContent = "Upload failed: the connection broke.";
    });
    request.send(new FormData(form));
  });
})();
