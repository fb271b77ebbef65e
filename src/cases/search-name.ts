/** Lower-case, accents and punctuation folded: « Élodie  D'Hondt » → « elodie d hondt ». */
export function searchName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}
