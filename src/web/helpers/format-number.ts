const numberFormat = new Intl.NumberFormat('fr-FR');

/** 1208 → « 1 208 » with the French narrow no-break space. */
export function formatNumber(value: unknown): string {
  return typeof value === 'number' && Number.isFinite(value) ? numberFormat.format(value) : '';
}
