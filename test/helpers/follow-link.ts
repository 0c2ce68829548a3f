/**
 * Opens a link from a mail as a person would: GET the page, and press its button if it has one (a POST
 * form). Returns the last answer.
 */
export async function followLink(link: string): Promise<Response> {
  const page = await fetch(link);
  const html = await page.clone().text();
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  if (!page.ok || action === undefined) return page;
  return fetch(new URL(action.replaceAll('&amp;', '&'), link), { method: 'POST' });
}
