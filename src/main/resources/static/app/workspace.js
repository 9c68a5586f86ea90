// Progressive enhancement only: every page works without this file. Works on the page's own elements; never writes
// server data as HTML.

// A form is sent once: a double click (or a second tap while the answer is on its way) does not send it again. The
// submit buttons are disabled once the form is on its way (after the browser has taken the clicked button's value);
// a page shown again from the browser's history can be sent again.
document.addEventListener('DOMContentLoaded', function () {
  var forms = document.querySelectorAll('form[method=post]');
  function buttonsOf(form) {
    return form.querySelectorAll('button[type=submit], button:not([type]), input[type=submit]');
  }
  for (var i = 0; i < forms.length; i++) {
    forms[i].addEventListener('submit', function (event) {
      var form = event.currentTarget;
      if (form.getAttribute('data-sent') === 'true') {
        event.preventDefault();
        return;
      }
      form.setAttribute('data-sent', 'true');
      setTimeout(function () {
        var buttons = buttonsOf(form);
        for (var j = 0; j < buttons.length; j++) {
          buttons[j].disabled = true;
        }
      }, 0);
    });
  }
  window.addEventListener('pageshow', function (event) {
    if (!event.persisted) {
      return;
    }
    for (var i = 0; i < forms.length; i++) {
      forms[i].removeAttribute('data-sent');
      var buttons = buttonsOf(forms[i]);
      for (var j = 0; j < buttons.length; j++) {
        buttons[j].disabled = false;
      }
    }
  });
});

// A field that a form shows only for one answer ("What should the student add or change?" when returning a report) is
// hidden until that answer is chosen.
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
