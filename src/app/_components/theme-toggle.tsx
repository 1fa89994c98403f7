"use client";

import { useEffect, useState } from "react";
import { THEME_KEY } from "./theme-script";

type Theme = "light" | "dark" | "system";
const THEMES: Theme[] = ["light", "dark", "system"];

function apply(theme: Theme) {
  const dark = theme === "dark" || (theme === "system" && window.matchMedia("(prefers-color-scheme: dark)").matches);
  document.documentElement.classList.toggle("dark", dark);
  document.documentElement.style.colorScheme = dark ? "dark" : "light";
}

/** Light, dark or follow the system; remembered in this browser. */
export function ThemeToggle() {
  const [theme, setTheme] = useState<Theme>("system");

  useEffect(() => {
    const stored = localStorage.getItem(THEME_KEY);
    if (stored === "light" || stored === "dark") setTheme(stored);
  }, []);

  useEffect(() => {
    apply(theme);
    if (theme !== "system") return;
    // Following the system means following it live, too.
    const media = window.matchMedia("(prefers-color-scheme: dark)");
    const onChange = () => apply("system");
    media.addEventListener("change", onChange);
    return () => media.removeEventListener("change", onChange);
  }, [theme]);

  return (
    <fieldset className="flex rounded-md border border-zinc-300 text-xs dark:border-zinc-700">
      <legend className="sr-only">Theme</legend>
      {THEMES.map((option) => (
        <label key={option} className="cursor-pointer px-2 py-1 capitalize has-checked:bg-zinc-200 has-focus-visible:ring-2 has-focus-visible:ring-indigo-500 dark:has-checked:bg-zinc-700">
          <input
            type="radio"
            name="theme"
            value={option}
            checked={theme === option}
            onChange={() => {
              setTheme(option);
              if (option === "system") localStorage.removeItem(THEME_KEY);
              else localStorage.setItem(THEME_KEY, option);
            }}
            className="sr-only"
          />
          {option}
        </label>
      ))}
    </fieldset>
  );
}
