// The goods picture form: the file goes as multipart with the page's CSRF token in a header,
// then the page shows the new picture, or the server's reason.
(function () {
  const form = document.getElementById("picture");
  if (!form) return;
  const status = document.getElementById("picture-status");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    status.textContent = "…";
    try {
      const response = await fetch(form.action, {
        method: "POST", body: new FormData(form),
        headers: { "X-CSRF-Token": form.dataset.csrf, "Accept": "text/html" },
      });
      if (response.ok) {
        window.location.href = response.url;
        return;
      }
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const message = page.querySelector(".error-page p");
      status.textContent = form.dataset.failed + " " + (message ? message.textContent : response.status);
    } catch (error) {
      status.textContent = form.dataset.failed;
    }
  });
})();
