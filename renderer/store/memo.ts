/** Selector memoization: derived arrays keep their identity while their inputs do (zustand re-renders on identity). */

/** Wrap `f` so calls with the same arguments (by identity) return the previous result. */
export function memoizeLast<A extends unknown[], R>(f: (...args: A) => R): (...args: A) => R {
  let last: { args: A; result: R } | undefined;
  return (...args: A): R => {
    if (last !== undefined && last.args.length === args.length && last.args.every((a, i) => Object.is(a, args[i]))) return last.result;
    const result = f(...args);
    last = { args, result };
    return result;
  };
}
