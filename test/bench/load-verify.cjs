'use strict';
/**
 * autocannon's verifyBody for the mixed load: a response counts as a mismatch unless it is a whole
 * page that is not an error page (reads) or the redirect to the case a form goes back to (writes).
 * A session gone (redirect to the login page) or a refused form is a mismatch.
 */
module.exports = function verifyBody(body) {
  const text = String(body);
  if (/Redirecting to .*\/dossiers\/\d+/.test(text)) return true;
  return text.includes('</html>') && !text.includes('class="status-code"') && !text.includes('class="error-summary"');
};
