"""An aiosmtpd handler for the tests: a maildir like aiosmtpd's Mailbox, that refuses
some recipients as real mail servers do.

- inconnu*@…   : 550, the address does not exist (permanent);
- plus-tard*@… : 451, try again later (temporary).
"""

from aiosmtpd.handlers import Mailbox


class RefusingMailbox(Mailbox):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@", 1)[0]
        if local.startswith("inconnu"):
            return "550 5.1.1 Destinataire inconnu"
        if local.startswith("plus-tard"):
            return "451 4.3.0 Reessayez plus tard"
        envelope.rcpt_tos.append(address)
        return "250 OK"
