/// <reference path="../pb_data/types.d.ts" />

/**
 * Normalizes a room about to be saved through the API and throws a 400 with field errors when it is
 * not acceptable: public and private rooms need a name (one line of plain text, text.lib.js), a direct
 * conversation has none.
 */
function checkRoomInput(app, record) {
  const kind = record.getString('kind');
  const name = require(`${__hooks}/text.lib.js`).cleanName(record.getString('name'));

  if (kind === 'direct') {
    record.set('name', '');
    // One conversation per pair is kept by the database (a unique pair key, backend/direct_pairs.go),
    // which also holds when two creates race; a check here could not.
    return;
  }

  if (name === '') {
    throw new BadRequestError('The room needs a name.', {
      name: new ValidationError('validation_required', 'Give the room a name.'),
    });
  }
  record.set('name', name);
}

module.exports = { checkRoomInput };
