// The okrtree service's address: kept in this spreadsheet's document properties.

const OKRTREE_SERVICE_URL_KEY = 'OKRTREE_SERVICE_URL';
const OKRTREE_SERVICE_URL_EXAMPLE = 'https://okrtree-dot-PROJECT.appspot.com';

/**
 * The service URL without a trailing slash: this spreadsheet's setting, else the default
 * the deployer kept in the script properties, else null.
 * @returns {string | null}
 */
function getServiceUrl_() {
  const fromDocument = PropertiesService.getDocumentProperties().getProperty(OKRTREE_SERVICE_URL_KEY);
  if (fromDocument) {
    return fromDocument;
  }
  const fromScript = PropertiesService.getScriptProperties().getProperty(OKRTREE_SERVICE_URL_KEY);
  return fromScript ? normaliseServiceUrl_(fromScript).url : null;
}

/**
 * Checks and tidies a typed service URL: https only, surrounding spaces and trailing
 * slashes removed.
 * @param {string} text
 * @returns {{url: string | null, problem: string | null}}
 */
function normaliseServiceUrl_(text) {
  const url = String(text).trim().replace(/\/+$/, '');
  if (!/^https:\/\/[^\s\/?#]+(\/[^\s?#]*)?$/i.test(url)) {
    return {
      url: null,
      problem:
        '"' + String(text).trim() + '" is not an https address. Type the address of the okrtree ' +
        'service, for example ' + OKRTREE_SERVICE_URL_EXAMPLE + '.',
    };
  }
  return { url: url, problem: null };
}

/** Menu: Settings… asks for the service URL and keeps it with this spreadsheet. */
function showSettings() {
  runCommand_('Settings', function () {
    const ui = SpreadsheetApp.getUi();
    const properties = PropertiesService.getDocumentProperties();
    const current = properties.getProperty(OKRTREE_SERVICE_URL_KEY);
    const answer = ui.prompt(
      'okrtree: Settings',
      'Service URL (now: ' + (current || 'not set') + ').\n\nPaste the address of your okrtree ' +
        'service, for example ' + OKRTREE_SERVICE_URL_EXAMPLE + '. Leave it blank to clear it.',
      ui.ButtonSet.OK_CANCEL
    );
    if (answer.getSelectedButton() !== ui.Button.OK) {
      return;
    }
    const text = answer.getResponseText().trim();
    if (text === '') {
      properties.deleteProperty(OKRTREE_SERVICE_URL_KEY);
      showAlert_('okrtree: Settings', 'The service URL is cleared for this spreadsheet.');
      return;
    }
    const checked = normaliseServiceUrl_(text);
    if (checked.url === null) {
      throw new OkrAddonError(checked.problem + ' Nothing was changed.');
    }
    properties.setProperty(OKRTREE_SERVICE_URL_KEY, checked.url);
    showAlert_('okrtree: Settings', 'Saved. okrtree will use ' + checked.url + ' for this spreadsheet.');
  });
}
