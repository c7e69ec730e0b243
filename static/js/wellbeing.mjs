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
