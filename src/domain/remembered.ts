/**
 * A pure function of one string, with its answers kept: the deadline rules turn the same few
 * calendar dates into French, add months to them and step through days again and again, each a
 * luxon or Intl call; assessing a case spent most of its time there (npm run bench's profile).
 * Bounded: emptied when full. Only for functions whose answer depends on the key alone.
 */
export function remembered<R>(compute: (key: string) => R, maxEntries = 20_000): (key: string) => R {
  const answers = new Map<string, R>();
  return (key) => {
    if (answers.has(key)) return answers.get(key)!;
    const answer = compute(key);
    if (answers.size >= maxEntries) answers.clear();
    answers.set(key, answer);
    return answer;
  };
}
