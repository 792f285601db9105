// Copy buttons: <button data-copy="input-id"> copies that input's value.
document.addEventListener("click", function (e) {
  var b = e.target.closest("button[data-copy]");
  if (!b) { return; }
  e.preventDefault();
  var input = document.getElementById(b.getAttribute("data-copy"));
  if (!input) { return; }
  var done = function () { var t = b.textContent; b.textContent = "Copied"; setTimeout(function () { b.textContent = t; }, 1500); };
  if (navigator.clipboard) {
    navigator.clipboard.writeText(input.value).then(done);
  } else {
    input.select(); document.execCommand("copy"); done();
  }
});
