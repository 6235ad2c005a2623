// The pay page: a countdown, and the order's status by long-polling, so the purchase appears
// as soon as the payment is matched.
(function () {
  const page = document.getElementById("pay");
  const id = page.dataset.order;
  const expires = new Date(page.dataset.expires);
  const countdown = document.getElementById("countdown");
  const show = (state) => page.querySelectorAll(".state").forEach((el) => { el.hidden = !el.classList.contains(state); });

  if (/Mobi|Android|iPhone|iPad/i.test(navigator.userAgent)) document.body.classList.add("phone");

  // Shows the seller's delivery text with its web addresses as links, built as DOM nodes so that
  // nothing in the text is ever read as HTML. Punctuation right after an address stays text.
  function showDelivery(text) {
    const delivery = document.getElementById("delivery");
    delivery.replaceChildren();
    let rest = 0;
    for (const match of text.matchAll(/https?:\/\/[^\s<>"]+/g)) {
      const address = match[0].replace(/[.,;:!?)\]'}]+$/, "");
      delivery.append(text.slice(rest, match.index));
      const link = document.createElement("a");
      link.href = address;
      link.textContent = address;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      delivery.append(link);
      rest = match.index + address.length;
    }
    delivery.append(text.slice(rest));
  }
  // A shop's order: once paid, the buyer goes back to the shop's return address.
  function goBack(url) {
    const link = document.getElementById("back-to-shop");
    if (link) { link.href = url; link.hidden = false; }
    page.querySelectorAll(".returning").forEach((el) => { el.hidden = false; });
    window.location.replace(url);
  }
  if (page.dataset.status === "paid") {
    if (page.dataset.return) goBack(page.dataset.return);
    else if (document.getElementById("delivery")) showDelivery(document.getElementById("delivery").textContent);
  }

  function tick() {
    const left = Math.max(0, Math.round((expires - Date.now()) / 1000));
    countdown.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
  }
  tick();
  const timer = setInterval(tick, 1000);

  async function watch() {
    let delay = 0;
    while (page.dataset.status === "pending") {
      try {
        const response = await fetch("/api/orders/" + id + "?wait=25", { headers: { Accept: "application/json" } });
        if (!response.ok) throw new Error(String(response.status));
        const order = await response.json();
        page.dataset.status = order.status;
        if (order.status === "paid") {
          if (document.getElementById("delivery")) showDelivery(order.delivery || "");
          show("paid");
          if (order.returnUrl) goBack(order.returnUrl);
        } else if (order.status !== "pending") {
          show("over");
        }
        delay = 0;
      } catch (error) {
        // The connection dropped: try again, more slowly each time, up to 10 s.
        delay = Math.min(10000, delay + 1000);
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
    clearInterval(timer);
  }
  watch();
})();

// A generic code's amount, copied for the wallet's amount field.
document.querySelectorAll("[data-copy-amount]").forEach((button) => {
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(button.dataset.copyAmount);
      button.textContent = button.dataset.copied;
    } catch {
      window.prompt("", button.dataset.copyAmount);
    }
  });
});
