// narrascope HTML report: pointing at a statement card outlines its words in the article.
(function () {
  var cards = document.querySelectorAll(".card[data-statement]");
  function mark(id, on) {
    var sel = '.article [data-statement~="' + id.replace(/["\\]/g, "\\$&") + '"]';
    document.querySelectorAll(sel).forEach(function (el) { el.classList.toggle("focus", on); });
  }
  cards.forEach(function (card) {
    var id = card.getAttribute("data-statement");
    card.addEventListener("mouseenter", function () { mark(id, true); });
    card.addEventListener("mouseleave", function () { mark(id, false); });
    card.addEventListener("focusin", function () { mark(id, true); });
    card.addEventListener("focusout", function () { mark(id, false); });
  });
})();
