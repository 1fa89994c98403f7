/** localStorage key holding "light", "dark" or "system" (the default when unset). */
export const THEME_KEY = "webhookdump-theme";

/**
 * Runs before first paint (inline, nonce'd) so a dark-theme page never flashes white: applies the
 * stored choice, or the system preference, as the `dark` class Tailwind's dark variant keys on.
 */
export const THEME_SCRIPT = `(function(){try{var t=localStorage.getItem(${JSON.stringify(THEME_KEY)});var d=t==="dark"||(t!=="light"&&matchMedia("(prefers-color-scheme: dark)").matches);document.documentElement.classList.toggle("dark",d);document.documentElement.style.colorScheme=d?"dark":"light";}catch(e){}})();`;
