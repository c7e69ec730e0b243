import { initAll } from "../nhsuk/nhsuk-frontend.min.js";

initAll();

// On a narrow screen NHS.UK's header moves the items that do not fit under "More". When the
// current section is one of them, "More" is marked as current (underlined, and announced as
// such), so a care worker on a phone can still see where they are.
function markMenuHoldingTheCurrentSection() {
  const menu = document.querySelector(".nhsuk-header__menu");
  const toggle = menu?.querySelector(".nhsuk-header__menu-toggle");
  if (!menu || !toggle) {
    return;
  }
  const update = () => {
    const current = menu.querySelector('.nhsuk-header__menu-list [aria-current="page"]');
    if (current) {
      toggle.setAttribute("aria-current", "true");
    } else {
      toggle.removeAttribute("aria-current");
    }
  };
  new MutationObserver(update).observe(menu, { childList: true, subtree: true });
  update();
}

markMenuHoldingTheCurrentSection();

// A form is sent once. Each form that changes something carries a random key; the server acts
// on a key once and sends a repeat where the first went. A second tap while the first is on its
// way is not sent at all. A page brought back by the Back button gets fresh keys, since
// sending its form again is then meant.
function randomKey() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

function giveFormsKeys() {
  for (const form of document.querySelectorAll('form[method="post" i]')) {
    let key = form.querySelector('input[name="_once"]');
    if (!key) {
      key = document.createElement("input");
      key.type = "hidden";
      key.name = "_once";
      form.append(key);
    }
    key.value = randomKey();
    delete form.dataset.sending;
  }
}

function sendFormsOnce() {
  giveFormsKeys();
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || form.method.toLowerCase() !== "post") {
      return;
    }
    if (form.dataset.sending) {
      event.preventDefault();
      return;
    }
    form.dataset.sending = "true";
    // A form that does not leave the page (a download) can be sent again after a pause.
    setTimeout(() => delete form.dataset.sending, 5000);
  });
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) {
      giveFormsKeys();
    }
  });
}

sendFormsOnce();

// What someone typed survives being signed out while they typed it. A copy of each form sent
// is kept in this tab's storage; when the server says the form arrived signed out ("keep" on
// the way through signing in, "restore" back on the form's page), the copy fills the form in
// again. Any other page throws the copies away.
const UNSENT = "wellbeing:unsent:";
const SKIPPED_TYPES = new Set(["hidden", "password", "file", "submit", "button", "reset"]);

function keepCopy(form) {
  const fields = [];
  for (const field of form.elements) {
    if (!field.name || field.disabled || SKIPPED_TYPES.has(field.type)) {
      continue;
    }
    if (field.type === "checkbox" || field.type === "radio") {
      fields.push([field.name, field.value, field.checked]);
    } else if (field.multiple) {
      fields.push([field.name, Array.from(field.selectedOptions, (option) => option.value)]);
    } else {
      fields.push([field.name, field.value]);
    }
  }
  try {
    const copy = { owner: document.body.dataset.user || "", fields };
    sessionStorage.setItem(UNSENT + location.pathname, JSON.stringify(copy));
  } catch {
    // Storage full or switched off: the form is sent all the same.
  }
}

function fillInAgain(fields) {
  for (const [name, value, checked] of fields) {
    for (const field of document.querySelectorAll(`form[method="post" i] [name="${CSS.escape(name)}"]`)) {
      if (field.type === "checkbox" || field.type === "radio") {
        if (field.value === value) {
          field.checked = checked;
        }
      } else if (field.multiple && Array.isArray(value)) {
        for (const option of field.options) {
          option.selected = value.includes(option.value);
        }
      } else if (!SKIPPED_TYPES.has(field.type)) {
        field.value = value;
      }
    }
  }
}

function keepUnsentForms() {
  const state = document.body.dataset.unsentForm;
  if (state === "restore") {
    const copy = JSON.parse(sessionStorage.getItem(UNSENT + location.pathname) || "null");
    // Only for the person who typed it: on a shared phone, someone else may have signed in.
    if (copy && copy.owner && copy.owner === document.body.dataset.user) {
      fillInAgain(copy.fields);
    }
  }
  if (state !== "keep") {
    for (const key of Object.keys(sessionStorage)) {
      if (key.startsWith(UNSENT)) {
        sessionStorage.removeItem(key);
      }
    }
  }
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form instanceof HTMLFormElement && form.method.toLowerCase() === "post") {
      keepCopy(form);
    }
  });
}

keepUnsentForms();
