"""The order desk: home (figures and work queues), the order list with bulk actions, the order page.

Views are thin: form → service → message → redirect (PRG), through ``oms.page_actions.page_action``. htmx
requests get the partial they replace; without JavaScript every form still submits and the page reloads.

- ``home``: the home page;
- ``order_list``: the order list and its bulk actions;
- ``detail``: the order page itself, and the answers its actions give;
- ``order_page``: the desk's actions on the order page (finance's are in ``dashboard.finance.views``);
- ``lines``: changing a placed order's lines (the "Edit lines" page) and cancelling part of it.

The URLs import the modules themselves: this package re-exports nothing, so ``dashboard.finance`` can use
``detail`` without importing the actions, which hand mark paid to finance.
"""
