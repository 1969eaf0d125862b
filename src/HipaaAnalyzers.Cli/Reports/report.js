(function () {
  'use strict';

  var table = document.getElementById('findings-table');
  if (!table) {
    return;
  }

  var rows = Array.prototype.slice.call(table.querySelectorAll('tbody tr.finding'));
  var ruleButtons = Array.prototype.slice.call(document.querySelectorAll('[data-rule-filter]'));
  var chips = ruleButtons.filter(function (b) { return b.classList.contains('chip'); });
  var severityBoxes = Array.prototype.slice.call(document.querySelectorAll('[data-severity-filter]'));
  var fileInput = document.getElementById('file-filter');
  var status = document.getElementById('filter-status');
  var noMatch = document.getElementById('no-match');
  var state = { rule: '', severities: {}, file: '' };

  severityBoxes.forEach(function (box) {
    state.severities[box.getAttribute('data-severity-filter')] = box.checked;
  });

  function matches(row) {
    if (state.rule && row.getAttribute('data-rule') !== state.rule) {
      return false;
    }
    if (state.severities[row.getAttribute('data-severity')] === false) {
      return false;
    }
    return !state.file || row.getAttribute('data-file').toLowerCase().indexOf(state.file) >= 0;
  }

  function apply() {
    var shown = 0;
    rows.forEach(function (row) {
      var visible = matches(row);
      row.hidden = !visible;
      if (visible) {
        shown++;
      }
    });
    chips.forEach(function (chip) {
      chip.setAttribute('aria-pressed', String(chip.getAttribute('data-rule-filter') === state.rule));
    });
    var text = 'Showing ' + shown + ' of ' + rows.length + ' findings';
    if (state.rule) {
      text += ' for ' + state.rule;
    }
    if (state.file) {
      text += ' in files matching "' + state.file + '"';
    }
    status.textContent = text;
    if (noMatch && rows.length > 0) {
      noMatch.hidden = shown > 0;
    }
  }

  ruleButtons.forEach(function (button) {
    button.addEventListener('click', function () {
      var rule = button.getAttribute('data-rule-filter');
      state.rule = state.rule === rule && button.classList.contains('link') ? '' : rule;
      apply();
      if (button.classList.contains('link')) {
        table.scrollIntoView({ block: 'start' });
      }
    });
  });

  severityBoxes.forEach(function (box) {
    box.addEventListener('change', function () {
      state.severities[box.getAttribute('data-severity-filter')] = box.checked;
      apply();
    });
  });

  if (fileInput) {
    fileInput.addEventListener('input', function () {
      state.file = fileInput.value.trim().toLowerCase();
      apply();
    });
  }

  Array.prototype.slice.call(document.querySelectorAll('[data-file-filter]')).forEach(function (button) {
    button.addEventListener('click', function () {
      fileInput.value = button.getAttribute('data-file-filter');
      state.file = fileInput.value.toLowerCase();
      apply();
      table.scrollIntoView({ block: 'start' });
    });
  });

  apply();
}());
