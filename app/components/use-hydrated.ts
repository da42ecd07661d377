import { useSyncExternalStore } from "react";

const subscribe = () => () => {};

/**
 * False during server rendering and before hydration, true after. A form
 * whose submit runs in script keeps its button disabled until then: a click
 * before hydration would otherwise submit natively, as a GET with the
 * password in the URL.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}
