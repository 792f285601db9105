// Copy buttons: <button data-copy="input-id"> copies that input's value
// and announces "Copied" in a polite live region for screen readers.
document.addEventListener("click", function (e) {
  var b = e.target.closest("button[data-copy]");
  if (!b) { return; }
  e.preventDefault();
  var input = document.getElementById(b.getAttribute("data-copy"));
  if (!input) { return; }
  var live = document.getElementById("copy-status");
  if (!live) {
    live = document.createElement("p");
    live.id = "copy-status";
    live.className = "visually-hidden";
    live.setAttribute("aria-live", "polite");
    document.body.appendChild(live);
  }
  var done = function () {
    var t = b.textContent; b.textContent = "Copied"; live.textContent = "Copied to the clipboard";
    setTimeout(function () { b.textContent = t; live.textContent = ""; }, 1500);
  };
  if (navigator.clipboard) {
    navigator.clipboard.writeText(input.value).then(done);
  } else {
    input.select(); document.execCommand("copy"); done();
  }
});
