// The add-on menu. onOpen runs in every authorisation mode, so it only builds the menu.

/**
 * Builds the okrtree menu under Extensions.
 * @param {GoogleAppsScript.Events.SheetsOnOpen | GoogleAppsScript.Events.AddonOnInstall} [e]
 */
function onOpen(e) {
  SpreadsheetApp.getUi()
    .createAddonMenu()
    .addItem('Validate this sheet', 'validateSheet')
    .addItem('Sync whole organisation', 'syncOrganisation')
    .addItem('Open alignment tree', 'openAlignmentTree')
    .addSeparator()
    .addItem('Insert objective', 'insertObjective')
    .addItem('Insert key result', 'insertKeyResult')
    .addSeparator()
    .addItem('Set up this sheet', 'setUpSheet')
    .addItem('Settings…', 'showSettings')
    .addSeparator()
    .addItem('Start next cycle…', 'startNextCycle')
    .addToUi();
}

/**
 * Runs when the add-on is installed: the menu appears without reloading.
 * @param {GoogleAppsScript.Events.AddonOnInstall} e
 */
function onInstall(e) {
  onOpen(e);
}
