// Unsaved changes on a page with several forms that each save on their
// own (Workspace login): a form marked data-unsaved-name shows "Unsaved
// changes" once edited; saving one form while another has edits, or
// leaving the page with edits, asks first, so a save never silently drops
// what was typed elsewhere.
(function () {
  var forms = Array.prototype.slice.call(document.querySelectorAll("form[data-unsaved-name]"));
  if (!forms.length) { return; }
  var snapshot = function (f) { return new URLSearchParams(new FormData(f)).toString(); };
  var initial = forms.map(snapshot);
  var dirty = function (f) { return snapshot(f) !== initial[forms.indexOf(f)]; };
  var submitting = false;
  var update = function () {
    forms.forEach(function (f) {
      var note = f.querySelector(".unsaved-note");
      if (note) { note.hidden = !dirty(f); }
    });
  };
  document.addEventListener("input", update);
  document.addEventListener("change", update);
  forms.forEach(function (f) {
    f.addEventListener("submit", function (e) {
      var others = forms.filter(function (o) { return o !== f && dirty(o); })
        .map(function (o) { return o.getAttribute("data-unsaved-name"); });
      if (others.length && !window.confirm("Unsaved changes in " + others.join(" and ") +
          " will be lost: each section saves on its own. Save " + f.getAttribute("data-unsaved-name") + " anyway?")) {
        e.preventDefault();
        return;
      }
      submitting = true;
    });
  });
  window.addEventListener("beforeunload", function (e) {
    if (!submitting && forms.some(dirty)) { e.preventDefault(); e.returnValue = ""; }
  });
})();
