"""What the browser gets: the payload and its schema, the story payload, HTML and folium."""
