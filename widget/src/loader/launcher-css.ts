/**
 * The host element and launcher styles. `:host` rules are !important: inside the shadow tree that
 * beats even `!important` page rules aimed at our element, so host CSS cannot hide or restyle it.
 * `all:initial` already sets margin, padding, border, opacity, visibility, transform, filter,
 * clip-path, overflow and pointer-events to their initial values (what we want); `direction` is
 * the one property `all` leaves alone. One line per rule here; one string without newlines shipped.
 */
export const HOST_CSS =
  ':host{all:initial!important;display:block!important;position:fixed!important;top:0!important;left:0!important;width:0!important;height:0!important;z-index:2147483647!important;direction:ltr!important}' +
  '.l{position:fixed;bottom:20px;right:20px;box-sizing:border-box;width:56px;height:56px;margin:0;padding:0;border:0;border-radius:50%;background:var(--cd-brand);color:var(--cd-on-brand);box-shadow:0 4px 14px rgba(0,0,0,.28);cursor:pointer;display:flex;align-items:center;justify-content:center;transition:transform .15s ease;-webkit-tap-highlight-color:transparent}' +
  '.l.left{left:20px;right:auto}' +
  '.l:hover{transform:scale(1.06)}' +
  '.l:focus-visible{outline:3px solid #111827;outline-offset:3px;box-shadow:0 0 0 3px #fff,0 4px 14px rgba(0,0,0,.28)}' +
  '.l svg{width:28px;height:28px;fill:currentColor;display:block}' +
  '.b{position:absolute;top:-4px;right:-4px;box-sizing:border-box;min-width:22px;height:22px;padding:0 6px;border-radius:11px;border:2px solid #fff;background:#c5221f;color:#fff;font:700 11px/18px system-ui,sans-serif;text-align:center}' +
  '.b[hidden],.sr{display:none}' +
  '@media (prefers-reduced-motion:reduce){.l{transition:none}.l:hover{transform:none}}' +
  '@media (max-width:480px){:host([data-open]) .l{display:none}}';
