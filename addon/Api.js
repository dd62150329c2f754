// Calls to the okrtree service: one POST with the user's identity token, every failure
// turned into an OkrAddonError that says what to do.

/**
 * What to tell the user when the service answers 403, by path.
 * @type {Object<string, string>}
 */
const OKRTREE_FORBIDDEN_ADVICE = {
  '/api/validate':
    "Ask your okrtree administrator to add this spreadsheet to the hub's Teams tab and to give " +
    'you access, then try again.',
  '/api/sync':
    'Only okrtree administrators can sync the whole organisation. Ask one to run it, or to make ' +
    'you an administrator.',
};

/**
 * The service URL, or an OkrAddonError saying how to set it.
 * @returns {string}
 */
function requireServiceUrl_() {
  const base = getServiceUrl_();
  if (!base) {
    throw new OkrAddonError(
      'The okrtree service URL is not set for this spreadsheet. Open Extensions › okrtree › ' +
        'Settings… and paste the address of the okrtree service (for example ' +
        OKRTREE_SERVICE_URL_EXAMPLE + '), then try again.'
    );
  }
  return base;
}

/**
 * POSTs JSON to the service and returns the parsed reply of a 2xx answer.
 * @param {string} path  e.g. "/api/validate"
 * @param {Object} payload
 * @param {function(Object<string, unknown>): (string | null)} check  names what is wrong
 *     with a reply, or returns null when the reply is usable
 * @returns {Object<string, unknown>}
 */
function callService_(path, payload, check) {
  const base = requireServiceUrl_();
  const url = base + path;
  /** @type {GoogleAppsScript.URL_Fetch.URLFetchRequestOptions} */
  const options = {
    method: 'post',
    contentType: 'application/json',
    payload: JSON.stringify(payload),
    headers: { Authorization: 'Bearer ' + ScriptApp.getIdentityToken() },
    muteHttpExceptions: true,
  };
  /** @type {GoogleAppsScript.URL_Fetch.HTTPResponse} */
  let response;
  try {
    response = UrlFetchApp.fetch(url, options);
  } catch (err) {
    const detail = errorText_(err);
    throw new OkrAddonError(
      'Could not reach the okrtree service at ' + base + ' (' + detail + '). Check the service URL ' +
        'in Extensions › okrtree › Settings… and your connection, then try again in a minute.'
    );
  }
  const status = response.getResponseCode();
  const text = response.getContentText();
  if (status >= 200 && status < 300) {
    const data = parseJsonObject_(text);
    if (data === null) {
      throw malformedReply_(base, 'HTTP ' + status + ', the body is not a JSON object: ' + excerpt_(text));
    }
    const problem = check(data);
    if (problem !== null) {
      throw malformedReply_(base, problem);
    }
    return data;
  }
  throw new OkrAddonError(describeHttpFailure_(path, status, text));
}

/**
 * The user's message for a non-2xx answer.
 * @param {string} path
 * @param {number} status
 * @param {string} body
 * @returns {string}
 */
function describeHttpFailure_(path, status, body) {
  const detail = errorDetail_(body);
  const what = '(HTTP ' + status + (detail ? ': ' + detail : '') + ')';
  if (status === 401) {
    return (
      'The okrtree service did not accept your Google sign-in ' + what + '. Reload the ' +
      'spreadsheet, run the command again and allow the add-on to see your e-mail address when asked.'
    );
  }
  if (status === 403) {
    return 'The okrtree service refused this request ' + what + '. ' +
      (OKRTREE_FORBIDDEN_ADVICE[path] || 'Ask your okrtree administrator for access.');
  }
  if (status === 409 && errorCode_(body) === 'no_state') {
    return (
      'okrtree has not synced this organisation yet ' + what + ': no sync has run yet; an ' +
      'administrator runs one (Extensions › okrtree › Sync whole organisation), then validate again.'
    );
  }
  if (status === 409) {
    return 'okrtree is busy with another sync ' + what + '. Wait a minute and try again.';
  }
  if (status >= 500) {
    return (
      'The okrtree service failed ' + what + '. Try again in a few minutes; if it keeps failing, ' +
      'tell your okrtree administrator.'
    );
  }
  return (
    'The okrtree service rejected the request ' + what + '. Check the service URL in ' +
    'Extensions › okrtree › Settings…: it should be the address of the okrtree service, like ' +
    OKRTREE_SERVICE_URL_EXAMPLE + '.'
  );
}

/**
 * The `code` of an error body `{"error": {"code", "message"}}`, or "" when it has none.
 * @param {string} body
 * @returns {string}
 */
function errorCode_(body) {
  const data = parseJsonObject_(body);
  const error = data ? data['error'] : null;
  if (!error || typeof error !== 'object') {
    return '';
  }
  const code = /** @type {{code?: unknown}} */ (error).code;
  return typeof code === 'string' ? code : '';
}

/**
 * The `code: message` of an error body `{"error": {"code", "message"}}`, or "" when the
 * body has none.
 * @param {string} body
 * @returns {string}
 */
function errorDetail_(body) {
  const data = parseJsonObject_(body);
  const error = data ? data['error'] : null;
  if (!error || typeof error !== 'object') {
    return '';
  }
  const fields = /** @type {{code?: unknown, message?: unknown}} */ (error);
  const code = typeof fields.code === 'string' ? fields.code : '';
  const message = typeof fields.message === 'string' ? fields.message : '';
  return [code, message].filter(Boolean).join(': ');
}

/**
 * The JSON object in a text, or null when it is not JSON or not an object.
 * @param {string} text
 * @returns {Object<string, unknown> | null}
 */
function parseJsonObject_(text) {
  try {
    const data = JSON.parse(text);
    return data !== null && typeof data === 'object' && !Array.isArray(data) ? data : null;
  } catch (err) {
    return null;
  }
}

/**
 * @param {string} base  the service URL
 * @param {string} why
 * @returns {OkrAddonError}
 */
function malformedReply_(base, why) {
  return new OkrAddonError(
    'The okrtree service at ' + base + ' sent a reply okrtree cannot read (' + why + '). Check ' +
      'the service URL in Extensions › okrtree › Settings…; if it is right, tell your okrtree ' +
      'administrator.'
  );
}

/**
 * The start of a text, on one line, for messages.
 * @param {string} text
 * @returns {string}
 */
function excerpt_(text) {
  const line = String(text).replace(/\s+/g, ' ').trim();
  if (line === '') {
    return '(empty)';
  }
  return '"' + (line.length > 60 ? line.slice(0, 60) + '…' : line) + '"';
}
