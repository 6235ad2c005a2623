// Links from the old single-page store (/#/goods/ID, /#/pay/ID) go to today's pages.
(function () {
  const match = location.hash.match(/^#\/(goods|pay)\/([A-Za-z0-9_-]{21})$/);
  if (match) location.replace("/" + match[1] + "/" + match[2]);
})();
