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
