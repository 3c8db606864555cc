// A tiny single-page storefront: product list, product page, cart, checkout. Navigation uses
// history.pushState, which the Spoor SDK turns into page views; commerce calls use the snippet API.
(function () {
  var products = [
    { productId: 'boots-01', name: 'Trail boots', category: 'Shoes', brand: 'Spoor', price: 129, currency: 'EUR' },
    { productId: 'tent-02', name: 'Two-person tent', category: 'Camping', brand: 'Spoor', price: 249, currency: 'EUR' },
    { productId: 'mug-03', name: 'Enamel mug', category: 'Kitchen', brand: 'Spoor', price: 12.5, currency: 'EUR' },
  ];
  var app = document.getElementById('app');
  var cart = JSON.parse(localStorage.getItem('demo_cart') || '[]');

  function save() {
    localStorage.setItem('demo_cart', JSON.stringify(cart));
    document.getElementById('cart-count').textContent = String(cart.reduce(function (n, i) { return n + i.quantity; }, 0));
  }
  function find(id) { return products.filter(function (p) { return p.productId === id; })[0]; }
  function item(p, quantity) {
    return { productId: p.productId, name: p.name, category: p.category, brand: p.brand, price: p.price, currency: p.currency, quantity: quantity };
  }
  function total() { return cart.reduce(function (s, i) { return s + i.price * i.quantity; }, 0); }
  function esc(s) { return String(s).replace(/[&<>"]/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; }); }

  function go(path) { history.pushState(null, '', path); render(); }

  var views = {
    list: function (query) {
      var shown = query ? products.filter(function (p) { return p.name.toLowerCase().indexOf(query.toLowerCase()) >= 0; }) : products;
      app.innerHTML = '<h1>' + (query ? 'Results for “' + esc(query) + '”' : 'All products') + '</h1><div class="products">' +
        shown.map(function (p) {
          return '<div class="card"><a href="/product/' + p.productId + '" data-link>' + esc(p.name) + '</a><p>€' + p.price + '</p></div>';
        }).join('') + '</div>';
      return shown.length;
    },
    product: function (id) {
      var p = find(id);
      if (!p) { app.innerHTML = '<h1>Not found</h1>'; return; }
      app.innerHTML = '<h1>' + esc(p.name) + '</h1><p>€' + p.price + '</p><button id="add">Add to cart</button><div class="tall"></div>';
      spoor('productView', { productId: p.productId, name: p.name, category: p.category, brand: p.brand, price: p.price, currency: p.currency });
      document.getElementById('add').onclick = function () {
        var line = cart.filter(function (i) { return i.productId === p.productId; })[0];
        if (line) line.quantity++; else cart.push(item(p, 1));
        save();
        spoor('addToCart', Object.assign(item(p, 1), { cartId: cartId() }));
      };
    },
    cart: function () {
      app.innerHTML = '<h1>Cart</h1><table>' + cart.map(function (i, n) {
        return '<tr><td>' + esc(i.name) + '</td><td>' + i.quantity + '</td><td>€' + i.price + '</td><td><button data-remove="' + n + '">Remove</button></td></tr>';
      }).join('') + '</table><p>Total €' + total() + '</p>' + (cart.length ? '<a href="/checkout" data-link id="checkout">Checkout</a>' : '');
      app.querySelectorAll('[data-remove]').forEach(function (b) {
        b.onclick = function () {
          var i = cart.splice(+b.getAttribute('data-remove'), 1)[0];
          save();
          spoor('removeFromCart', Object.assign({}, i, { cartId: cartId() }));
          render();
        };
      });
    },
    checkout: function () {
      spoor('checkoutStart', { cartId: cartId(), value: total(), currency: 'EUR', items: cart });
      app.innerHTML = '<h1>Checkout</h1><form id="order"><label>Customer number <input name="customer" value="cust-42"></label> <button id="place">Place order</button></form>';
      document.getElementById('order').onsubmit = function (e) {
        e.preventDefault();
        var orderId = 'order-' + Date.now();
        spoor('identify', this.customer.value, { plan: 'demo' });
        spoor('purchase', { orderId: orderId, revenue: total(), currency: 'EUR', items: cart, cartId: cartId(), shipping: 0 });
        cart = [];
        save();
        localStorage.removeItem('demo_cart_id');
        go('/thanks');
      };
    },
    thanks: function () { app.innerHTML = '<h1>Thank you!</h1><a href="/" data-link>Continue shopping</a>'; },
  };

  function cartId() {
    var id = localStorage.getItem('demo_cart_id');
    if (!id) localStorage.setItem('demo_cart_id', (id = 'cart-' + Math.random().toString(36).slice(2, 10)));
    return id;
  }

  function render() {
    var path = location.pathname;
    if (path.indexOf('/product/') === 0) return views.product(path.slice(9));
    if (path === '/cart') return views.cart();
    if (path === '/checkout') return views.checkout();
    if (path === '/thanks') return views.thanks();
    return views.list(new URLSearchParams(location.search).get('q'));
  }

  document.addEventListener('click', function (e) {
    var a = e.target.closest && e.target.closest('a[data-link]');
    if (a) { e.preventDefault(); go(a.getAttribute('href')); }
  });
  document.getElementById('search').onsubmit = function (e) {
    e.preventDefault();
    var q = this.q.value.trim();
    if (!q) return;
    history.pushState(null, '', '/?q=' + encodeURIComponent(q));
    spoor('search', q, views.list(q));
  };
  addEventListener('popstate', render);
  save();
  render();
})();
