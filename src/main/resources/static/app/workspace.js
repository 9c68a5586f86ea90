// Progressive enhancement only: every page works without this file. A field that a form shows only for one answer
// ("What should the student add or change?" when returning a report) is hidden until that answer is chosen.
// Works on the page's own elements; never writes server data as HTML.
document.addEventListener('DOMContentLoaded', () => {
  const form = document.getElementById('task-form');
  if (!form) {
    return;
  }
  const dependent = Array.from(form.querySelectorAll('[data-show-key]'));
  const update = () => {
    for (const field of dependent) {
      const chosen = form.querySelector('[name="' + CSS.escape(field.dataset.showKey) + '"]:checked');
      field.hidden = !(chosen && chosen.value === field.dataset.showValue);
    }
  };
  form.addEventListener('change', update);
  update();
});
