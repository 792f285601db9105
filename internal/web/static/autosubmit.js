// Submits the SAML HTTP-POST binding form as soon as the page loads. The
// page has a visible button for browsers without JavaScript.
document.addEventListener("DOMContentLoaded", function () {
  var f = document.getElementById("saml-post");
  if (f) { f.submit(); }
});
