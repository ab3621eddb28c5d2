/**
 * A function's answers remembered, boundedly: micro sees the same few values
 * (schema URIs) again and again, but values come from clients, so only short
 * ones are kept and the memory is emptied once it holds 4,096.
 */
export function remembered<T>(compute: (input: string) => T): (input: string) => T {
  const seen = new Map<string, T>();
  return (input) => {
    const known = seen.get(input);
    if (known !== undefined || seen.has(input)) return known as T;
    const answer = compute(input);
    if (input.length <= 256) {
      if (seen.size >= 4096) seen.clear();
      seen.set(input, answer);
    }
    return answer;
  };
}
