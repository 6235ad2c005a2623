// "Copy link" buttons copy the full address of the goods' public page.
document.querySelectorAll("[data-copy-target]").forEach((button) => {
  button.addEventListener("click", async () => {
    const link = button.parentElement.querySelector("a[data-copy]");
    const url = new URL(link.getAttribute("href"), location.origin).href;
    try {
      await navigator.clipboard.writeText(url);
      button.textContent = document.body.dataset.copied;
    } catch {
      window.prompt(document.body.dataset.copyPrompt, url);
    }
  });
});
document.querySelectorAll("form[data-confirm]").forEach((form) => {
  form.addEventListener("submit", (event) => {
    if (!window.confirm(form.dataset.confirm)) event.preventDefault();
  });
});
