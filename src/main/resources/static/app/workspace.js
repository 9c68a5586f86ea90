// Progressive enhancement only: every page works without this file. A field that a form shows only for one answer
// ("What should the student add or change?" when returning a report) is hidden until that answer is chosen.
// Works on the page's own elements; never writes server data as HTML.
document.addEventListener('DOMContentLoaded', function () {
  var form = document.getElementById('task-form');
  if (!form) {
    return;
  }
  var dependent = form.querySelectorAll('[data-show-key]');
  function chosen(name) {
    var inputs = form.querySelectorAll('input[type=radio]');
    for (var i = 0; i < inputs.length; i++) {
      if (inputs[i].name === name && inputs[i].checked) {
        return inputs[i].value;
      }
    }
    return null;
  }
  function update() {
    for (var i = 0; i < dependent.length; i++) {
      var field = dependent[i];
      field.hidden = chosen(field.getAttribute('data-show-key')) !== field.getAttribute('data-show-value');
    }
  }
  form.addEventListener('change', update);
  update();
});
