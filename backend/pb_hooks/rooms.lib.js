/// <reference path="../pb_data/types.d.ts" />

/**
 * Normalizes a room about to be saved through the API and throws a 400 with field errors when it is
 * not acceptable: public and private rooms need a name, a direct conversation has none and exists once
 * per pair of people.
 */
function checkRoomInput(app, record, isNew) {
  const kind = record.getString('kind');
  const name = record.getString('name').trim();

  if (kind === 'direct') {
    record.set('name', '');
    const members = record.getStringSlice('members');
    if (isNew && members.length === 2) {
      // Two "members.id ?=" conditions in one filter share one join (so never both match); look up
      // one person's direct conversations and check the other person in JS instead.
      const ofFirst = app.findRecordsByFilter('rooms', 'kind = "direct" && members.id ?= {:a}', '', 0, 0, {
        a: members[0],
      });
      if (ofFirst.some((room) => room.getStringSlice('members').includes(members[1]))) {
        throw new BadRequestError('A direct conversation with this person already exists.', {
          members: new ValidationError(
            'validation_direct_room_exists',
            'You already have a direct conversation with this person.',
          ),
        });
      }
    }
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
