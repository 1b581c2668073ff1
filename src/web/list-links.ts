/**
 * The lists' state is in their URL (GET forms: a view can be bookmarked and shared): the page number read
 * from it, and the links to the same list with some parameters changed.
 */

/** The page number a list's URL asks for (1 when absent or wrong; 10,000 at most). */
export function pageNumberOf(query: Record<string, string | undefined>): number {
  return Math.max(1, Math.min(10_000, Number(query.page) || 1));
}

/** `base` with these parameters, the empty ones and `page=1` left out. */
export function listLink(base: string, params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === '' || (key === 'page' && Number(value) <= 1)) continue;
    search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `${base}?${text}` : base;
}

/** The previous and next pages of a list of `total` items, `size` a page. */
export function pagination(
  base: string,
  params: Record<string, string | number | undefined>,
  pageNumber: number,
  total: number,
  size: number,
) {
  return {
    previous: pageNumber > 1 ? listLink(base, { ...params, page: pageNumber - 1 }) : undefined,
    next: pageNumber * size < total ? listLink(base, { ...params, page: pageNumber + 1 }) : undefined,
    pageNumber,
    pages: Math.max(1, Math.ceil(total / size)),
  };
}
